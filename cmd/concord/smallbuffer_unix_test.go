//go:build unix

package main

import "syscall"

// smallReceiveBuffer asks for a 4 KiB socket receive buffer (the kernel
// may round it up) before the connection is made, so the window it
// advertises stays small and a peer's writes back up after a few frames.
func smallReceiveBuffer(network, address string, c syscall.RawConn) error {
	var err error
	if cerr := c.Control(func(fd uintptr) {
		err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
	}); cerr != nil {
		return cerr
	}
	return err
}
