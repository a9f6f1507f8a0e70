// SPDX-License-Identifier: MIT
/*
 * ARM PL011 UART, polled transmit only. The baud rate is whatever the
 * firmware or QEMU set; the kernel never reprograms it.
 */
#include <drivers.h>
#include <compiler.h>

#define UART_DR		0x00
#define UART_FR		0x18
#define UART_FR_TXFF	(1u << 5)
#define UART_CR		0x30
#define UART_CR_UARTEN	(1u << 0)
#define UART_CR_TXE	(1u << 8)

static volatile uint32_t *pl011;

void pl011_init(void *base)
{
	pl011 = base;
	pl011[UART_CR / 4] |= UART_CR_UARTEN | UART_CR_TXE;
}

void pl011_putc(char c)
{
	if (!pl011)
		return;
	while (pl011[UART_FR / 4] & UART_FR_TXFF)
		;
	pl011[UART_DR / 4] = (uint8_t)c;
}
