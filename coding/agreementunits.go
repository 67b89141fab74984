package coding

import (
	"runtime"
	"sync"
)

// ProjectAgreementUnits computes one report per unit, in the order given,
// for a lead who wants to see every unit side by side. The units share
// nothing but the input, which none of them changes, so they run at once
// on as many cores as there are. Options that belong to one unit only (the
// overlap threshold, coded-only, a bootstrap where a unit has no α) apply
// where they make sense and are dropped elsewhere.
func ProjectAgreementUnits(in AgreementInput, opt AgreementOptions, units []AgreementUnit) ([]*AgreementReport, error) {
	reports := make([]*AgreementReport, len(units))
	errs := make([]error, len(units))
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, u := range units {
		o := optionsFor(opt, u)
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			reports[i], errs[i] = ProjectAgreement(in, o)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return reports, nil
}

// optionsFor narrows options meant for several units to one unit.
func optionsFor(opt AgreementOptions, u AgreementUnit) AgreementOptions {
	opt.Unit = u
	opt.Coders = append([]string(nil), opt.Coders...)
	if u != UnitSegments {
		opt.Overlap = 0
	}
	if u != UnitCharacters {
		opt.CodedOnly = false
	}
	if u == UnitSegments || opt.CodedOnly {
		opt.Bootstrap = 0 // no α to resample
	}
	return opt
}
