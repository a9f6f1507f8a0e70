# QEMU "virt" with Cortex-A57 cores: GICv2 up to 8 CPUs, GICv3 above.
ARCH		:= arm64
BOARD_LINK_ADDR	:= 0x40080000
BOARD_TEXT_OFFSET := 0x80000
BOARD_DRIVERS	:= uart/pl011 irq/gicv2 irq/gicv3 timer/arm_generic psci exit/semihost
BOARD_CFLAGS	:= -DBOARD_EXIT_DEFAULT=EXIT_SEMIHOST
BOARD_GIC	 = $(if $(filter-out 1 2 3 4 5 6 7 8,$(CPUS)),3,2)
# Above 8 vCPUs QEMU runs them all on one host thread, round-robin: with a
# thread per vCPU (MTTCG) on a host with few cores, the host deschedules
# lock holders and the CPU whose ticket is next, while in round-robin TCG
# every spinning CPU's YIELD (cpu_relax) hands the host thread on at once,
# and a CPU in WFI costs nothing.
BOARD_TCG	 = $(if $(filter-out 1 2 3 4 5 6 7 8,$(CPUS)),single,multi)
QEMU		:= qemu-system-aarch64
QEMU_PKG	:= qemu-system-arm
QEMU_EXIT	:= semihost
QEMU_ARGS	 = -M virt,gic-version=$(BOARD_GIC)$(if $(EL2),$(comma)virtualization=on) \
		   -accel tcg,thread=$(BOARD_TCG) -cpu cortex-a57 -smp $(CPUS) -m 512M $(QEMU_BASE) \
		   -semihosting-config enable=on,target=native \
		   -kernel $(IMAGE)
