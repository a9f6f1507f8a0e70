# QEMU "virt" with Cortex-A57 cores: GICv2 up to 8 CPUs, GICv3 above.
ARCH		:= arm64
BOARD_LINK_ADDR	:= 0x40080000
BOARD_TEXT_OFFSET := 0x80000
BOARD_DRIVERS	:= uart/pl011 irq/gicv2 irq/gicv3 timer/arm_generic psci exit/semihost
BOARD_GIC	 = $(if $(filter-out 1 2 3 4 5 6 7 8,$(CPUS)),3,2)
# Above 8 vCPUs QEMU runs them all on one host thread, round-robin: with a
# thread per vCPU (MTTCG) on a host with few cores, the host deschedules
# lock holders and the CPU whose ticket is next, while in round-robin TCG
# every spinning CPU's YIELD (cpu_relax) hands the host thread on at once,
# and a CPU in WFI costs nothing.
BOARD_TCG	 = $(if $(filter-out 1 2 3 4 5 6 7 8,$(CPUS)),single,multi)
QEMU		:= qemu-system-aarch64
# The run options' ranges (Makefile, "Run options"): GICv3 takes 512
# CPUs; RAM from 1 GiB up, so MEM= above 3G puts RAM above 4 GiB. ACCEL=kvm
# on an arm64 host: the host's GIC and the first CPU model KVM takes.
BOARD_MAX_CPUS	:= 512
BOARD_MEM_RANGE	:= 128 32768
BOARD_QEMU_CPU	:= cortex-a57
BOARD_KVM_ARCH	:= aarch64
BOARD_KVM_CPUS	:= host max cortex-a57
VIRT_MACHINE_OPTS = ,gic-version=$(if $(KVM),host,$(BOARD_GIC))
VIRT_ACCEL	 = -accel $(RUN_ACCEL)
# U-Boot's booti loads Image at the address U-Boot chooses.
BOARD_UBOOT	:= /usr/lib/u-boot/qemu_arm64/u-boot.bin
BOARD_UBOOT_ARGS := Image '$${kernel_addr_r}' booti arm64
include boards/qemu-virt.inc
