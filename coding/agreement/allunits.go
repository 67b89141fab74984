package agreement

import (
	"runtime"
	"slices"
	"sync"
)

// ProjectAgreementUnits computes one report per unit, in the order given,
// for a lead who wants to see every unit side by side. The units share
// one prepared scope (which documents, codes and coders are compared does
// not depend on the unit), which none of them changes, so they run at once
// on as many cores as there are. Options that belong to one unit only (the
// overlap threshold, coded-only, a bootstrap where a unit has no α) apply
// where they make sense and are dropped elsewhere.
func ProjectAgreementUnits(in Input, opt Options, units []Unit) ([]*Report, error) {
	return ProjectAgreementUnitsEach(in, opt, units, nil)
}

// ProjectAgreementUnitsEach is ProjectAgreementUnits that also calls done
// with each report as soon as it is computed, on the goroutine that
// computed it, while slower units still run: writing a report out there
// uses a core that would otherwise wait. Calls for different units may
// run at the same time.
func ProjectAgreementUnitsEach(in Input, opt Options, units []Unit, done func(i int, r *Report)) ([]*Report, error) {
	if len(units) == 0 {
		return nil, nil
	}
	opts := make([]Options, len(units))
	for i, u := range units {
		opts[i] = optionsFor(opt, u)
	}
	s, err := newAgreementScope(in, &opts[0])
	if err != nil {
		return nil, err
	}
	scopes := make([]*agreementScope, len(units))
	scopes[0] = s
	for i := 1; i < len(units); i++ {
		if scopes[i], err = s.withOptions(&opts[i]); err != nil {
			return nil, err
		}
	}
	reports := make([]*Report, len(units))
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	// Start the costliest units first, so that the cheap ones fill the
	// other cores while it runs rather than leave it to run alone last.
	order := make([]int, len(units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return unitCost[units[b]] - unitCost[units[a]] })
	for _, i := range order {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			reports[i] = scopes[i].report()
			if done != nil {
				done(i, reports[i])
			}
		}()
	}
	wg.Wait()
	return reports, nil
}

// unitCost ranks the units by what a whole report costs (BENCHMARKS.md:
// unitized ~180 ms, characters ~100, segments ~65, presence ~40 on 200,000
// codings).
var unitCost = map[Unit]int{UnitUnitized: 4, UnitCharacters: 3, UnitSegments: 2, UnitPresence: 1}

// optionsFor narrows options meant for several units to one unit.
func optionsFor(opt Options, u Unit) Options {
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
