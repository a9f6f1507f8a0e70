# A PC: QEMU q35 (MACHINE=pc for the i440FX one), SeaBIOS, TCG. CPUs and
# the local APIC come from ACPI, memory from the boot loader; COM1 is the
# console and isa-debug-exit carries the exit status out of QEMU.
ARCH		:= x86_64
BOARD_LINK_ADDR	:= 0x100000
BOARD_DRIVERS	:= uart/ns16550 irq/lapic timer/pit timer/tsc timer/lapic_timer \
		   exit/isa_debug
MACHINE		?= q35
QEMU		:= qemu-system-x86_64
QEMU_PKG	:= qemu-system-x86
QEMU_EXIT	:= isa-debug
# BOOT=iso boots the GRUB ISO of `make image` through the firmware instead
# of loading the kernel directly (PVH); its command line is baked in.
# FIRMWARE=bios (SeaBIOS, QEMU's own) or uefi (OVMF, Debian's ovmf).
FIRMWARE	?= bios
OVMF		:= /usr/share/ovmf/OVMF.fd
ifeq ($(filter bios uefi,$(FIRMWARE)),)
$(error FIRMWARE=$(FIRMWARE) is not a PC firmware (valid: bios, uefi))
endif
ifeq ($(FIRMWARE)-$(filter iso,$(BOOT)),uefi-)
$(error FIRMWARE=uefi boots the ISO through GRUB: add BOOT=iso)
endif
QEMU_BOOT	 = $(if $(filter iso,$(BOOT)),$(if $(filter uefi,$(FIRMWARE)),-bios $(OVMF)) \
		   -cdrom $(ISO),-kernel $(IMAGE))
# Above 8 vCPUs, one host thread runs them round-robin (as on
# qemu-virt-arm64; PAUSE in cpu_relax hands it on). QEMU takes the first
# -accel it can use, so a case's own -accel after these is ignored.
BOARD_TCG	 = $(if $(filter-out 1 2 3 4 5 6 7 8,$(CPUS)),single,multi)
# The run options' ranges (Makefile, "Run options"): QEMU's pc and q35
# take 255 CPUs without interrupt remapping; RAM beyond 4 GiB lies above
# the PCI hole. ACCEL=kvm on an x86_64 host with the first model KVM takes.
BOARD_MACHINE	 = $(MACHINE)
BOARD_MAX_CPUS	:= 255
BOARD_MEM	:= 512M
BOARD_MEM_RANGE	:= 128 32768
BOARD_QEMU_CPU	:= max
BOARD_KVM_ARCH	:= x86_64
BOARD_KVM_CPUS	:= host max qemu64
QEMU_ARGS	 = -machine $(MACHINE) -accel $(RUN_ACCEL) -cpu $(RUN_CPU) -smp $(CPUS) -m $(RUN_MEM) \
		   $(QEMU_BASE) \
		   -device isa-debug-exit,iobase=0xf4,iosize=0x04 $(QEMU_BOOT)

# make image: an ISO with GRUB for BIOS and for UEFI (El Torito entries
# for both), which loads the kernel by multiboot2 with CMDLINE; `make run
# BOOT=iso [FIRMWARE=uefi]` builds and boots it. OVMF comes with the image
# packages, so a UEFI run has its firmware.
ISO		 = $(B)/quiesce.iso
IMAGE_PKGS	:= grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
BOARD_IMAGE_CMD	 = tools/deps.sh "$(IMAGE_PKGS)" && \
		   boot/x86_64/mkiso.sh $(ELF) $(ISO) "$(CMDLINE)"
BOARD_CMDLINE_IN_IMAGE = $(filter iso,$(BOOT))
BOARD_BOOTS	:= iso
BOARD_RUN_DEPS	:= $(if $(filter iso,$(BOOT)),image)
