// SPDX-License-Identifier: MIT
/*
 * 16550 UART on an I/O port (COM1 on a PC), polled transmit only, 115200
 * baud 8N1. On a machine without the UART the status register reads as
 * all ones, so the transmit wait never blocks.
 */
#include <drivers.h>
#include <asm/io.h>

#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS	0x03
#define LSR_THRE	0x20
#define BAUD_BASE	115200

static uint16_t uart_port;	/* 0: no console yet */

void ns16550_init(uint16_t port, unsigned int baud)
{
	uint16_t div = (uint16_t)(BAUD_BASE / baud);

	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, (uint8_t)div);
	outb(port + UART_DLM, (uint8_t)(div >> 8));
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, MCR_DTR_RTS);
	uart_port = port;
	/* The firmware may have left the cursor mid-line. */
	ns16550_putc('\r');
	ns16550_putc('\n');
}

void ns16550_putc(char c)
{
	if (!uart_port)
		return;
	/* Bounded: a UART that never drains must not hang the kernel. */
	for (unsigned int spins = 0; spins < 1000000; spins++)
		if (inb(uart_port + UART_LSR) & LSR_THRE)
			break;
	outb(uart_port + UART_THR, (uint8_t)c);
}
