/* SPDX-License-Identifier: MIT */
/*
 * x86_64 entry. One ELF, two ways in, both in 32-bit protected mode with
 * paging off and no stack:
 *  - pvh_entry, named by the Xen PVH ELF note (QEMU -kernel): %ebx holds
 *    the physical address of struct hvm_start_info;
 *  - mb2_entry, the ELF entry point (GRUB, multiboot2): %eax holds the
 *    multiboot2 magic and %ebx the boot information.
 * Both load our GDT, zero .bss, identity-map the first 4 GiB with 2 MiB
 * pages, enter long mode and call x86_boot_start(info) on the boot stack.
 * mmu_init() later replaces that map with the real one.
 *
 * Secondary CPUs start in real mode at the trampoline copied below 1 MiB,
 * switch to protected mode, load the kernel's page tables and enter long
 * mode through ap_entry32 / ap_entry64.
 */
#include <asm/cpu.h>
#include "x86_64.h"

#define MB2_HEADER_MAGIC	0xe85250d6
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PTE_P_RW		0x003
#define PDE_P_RW_PS		0x083

/*
 * PAE, page-table root %eax, EFER.LME (+NXE), then paging with write
 * protection for supervisor writes (W^X) and caches on (an AP comes out
 * of INIT with CD and NW set). Clobbers %eax, %ecx, %edx; leaves the CPU
 * in compatibility mode, for a far jump to 64-bit code. A macro, not a
 * function: an AP has no stack of its own yet.
 */
	.macro	enter_long_mode
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	ap_boot_efer, %eax
	wrmsr
	movl	$(CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG), %eax
	movl	%eax, %cr0
	.endm

	.section .head.text, "ax"
	.code32

/* The multiboot2 header: within the first 32 KiB, 8-byte aligned. */
	.balign	8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	0				/* architecture: i386 protected mode */
	.long	mb2_header_end - mb2_header
	.long	0x100000000 - (MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))
	.short	0, 0				/* end tag */
	.long	8
mb2_header_end:

	.globl	mb2_entry
mb2_entry:
	cli
	cld
	movl	$BOOT_MULTIBOOT2, %ebp
	cmpl	$MB2_BOOT_MAGIC, %eax
	je	1f
	xorl	%ebx, %ebx			/* not a multiboot2 loader: no info */
1:	movl	%ebx, %esi
	jmp	boot32

	.globl	pvh_entry
pvh_entry:
	cli
	cld
	movl	$BOOT_PVH, %ebp
	movl	%ebx, %esi

/* %ebp = protocol, %esi = boot information; both survive to boot64. */
boot32:
	lgdt	gdt_ptr
	ljmp	$SEL_CODE32, $1f
1:	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$boot_stack_top, %esp

	/* Zero .bss: the page tables below and all C data live there. */
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	rep stosl

	/* Long mode is required; NX is used when present. */
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	testl	$CPUID81_EDX_LM, %edx
	jz	no_long_mode
	movl	$EFER_LME, %eax
	testl	$CPUID81_EDX_NX, %edx
	jz	1f
	orl	$EFER_NXE, %eax
1:	movl	%eax, ap_boot_efer

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages. */
	movl	$boot_pdpt + PTE_P_RW, boot_pml4
	movl	$boot_pd + PTE_P_RW, %eax
	xorl	%ecx, %ecx
2:	movl	%eax, boot_pdpt(, %ecx, 8)
	addl	$4096, %eax
	incl	%ecx
	cmpl	$4, %ecx
	jb	2b
	movl	$PDE_P_RW_PS, %eax
	xorl	%ecx, %ecx
3:	movl	%eax, boot_pd(, %ecx, 8)
	addl	$0x200000, %eax
	incl	%ecx
	cmpl	$2048, %ecx
	jb	3b

	movl	$boot_pml4, %eax
	enter_long_mode
	ljmp	$SEL_CODE64, $boot64

/* Say why on COM1 (already set up by any BIOS) and stop. */
no_long_mode:
	movl	$no_long_mode_msg, %esi
1:	lodsb
	testb	%al, %al
	jz	2f
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	1b
2:	hlt
	jmp	2b

	.code64
boot64:
	movl	%ebp, x86_boot_protocol(%rip)
	movl	%esi, %ebx			/* zero-extends: the info address */
	xorl	%ebp, %ebp			/* end of the frame-pointer chain */
	movq	%rbx, %rdi
	call	stack_protector_init		/* the first C function to run */
	movq	%rbx, %rdi
	call	x86_boot_start			/* never returns */
	ud2

/*
 * Secondary CPUs, after the trampoline: 32-bit flat segments, paging off.
 * The boot CPU stored the page-table root and the logical index.
 */
	.code32
ap_entry32:
	movl	$SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	ap_boot_cr3, %eax
	enter_long_mode
	ljmp	$SEL_CODE64, $ap_entry64

	.code64
ap_entry64:
	/*
	 * Claim the index the boot CPU posted. A CPU that finds none (a late
	 * starter the boot CPU gave up on) must not run as anyone: it stops.
	 */
	movl	$-1, %eax
	xchgl	%eax, ap_boot_cpu(%rip)
	cmpl	$-1, %eax
	je	1f
	movl	%eax, %edi
	movq	%rdi, %rax
	shlq	$CPU_STACK_SHIFT, %rax
	leaq	cpu_stacks(%rip), %rdx
	movq	(%rdx, %rax), %rsp		/* cpu_stacks[cpu].thread_top */
	xorl	%ebp, %ebp
	call	ap_start			/* never returns */
	ud2
1:	cli
	hlt
	jmp	1b

/* Switch to stack sp and call fn(arg); fn must not return. */
	.globl	call_on_stack
call_on_stack:					/* %rdi = arg, %rsi = fn, %rdx = sp */
	movq	%rdx, %rsp
	xorl	%ebp, %ebp
	call	*%rsi
	ud2

/*
 * The AP trampoline: copied to TRAMPOLINE_PA, entered by the start-up IPI
 * in real mode with CS = TRAMPOLINE_PA >> 4, IP = 0. It only loads the
 * kernel GDT and jumps to ap_entry32; everything else runs from the image.
 */
	.section .rodata.trampoline, "a"
	.code16
	.balign	16
	.globl	ap_trampoline
ap_trampoline:
	cli
	cld
	lgdtl	%cs:ap_gdt_ptr - ap_trampoline
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $ap_entry32
	.balign	8
ap_gdt_ptr:
	.short	GDT_SIZE(NR_CPUS) - 1
	.long	gdt_table
	.globl	ap_trampoline_end
ap_trampoline_end:
	.code64

	.section .rodata
no_long_mode_msg:
	.asciz	"Quiesce: this CPU has no 64-bit long mode\r\n"

/* The PVH entry note QEMU and Xen look for: type 18, name "Xen". */
	.section .note.xen, "a", @note
	.balign	4
	.long	4				/* namesz */
	.long	8				/* descsz */
	.long	XEN_ELFNOTE_PHYS32_ENTRY
	.asciz	"Xen"
	.balign	4
	.quad	pvh_entry

	.section .data
	.balign	16
/*
 * Flat 32-bit code, 64-bit code and data segments (accessed bits preset,
 * so the CPU never writes the table), then one TSS descriptor per CPU.
 */
	.globl	gdt_table
gdt_table:
	.quad	0
	.quad	0x00cf9b000000ffff		/* SEL_CODE32 */
	.quad	0x00af9b000000ffff		/* SEL_CODE64 */
	.quad	0x00cf93000000ffff		/* SEL_DATA */
	.space	16 * NR_CPUS			/* SEL_TSS(n), cpu_set_tss() */
	.balign	8
	.globl	gdt_ptr
gdt_ptr:
	.short	GDT_SIZE(NR_CPUS) - 1
	.quad	gdt_table

	.globl	ap_boot_cpu
ap_boot_cpu:
	.long	-1

	.section .bss
	.balign	4096
boot_pml4:
	.space	4096
boot_pdpt:
	.space	4096
boot_pd:
	.space	4 * 4096
	.balign	16
	.globl	x86_boot_protocol, ap_boot_cr3, ap_boot_efer
x86_boot_protocol:
	.long	0
ap_boot_cr3:
	.long	0
ap_boot_efer:
	.long	0
	.balign	16
	.space	16384
	.globl	boot_stack_top
boot_stack_top:
	.space	4096
	.globl	boot_df_stack_top
boot_df_stack_top:
	.space	4096
	.globl	boot_nmi_stack_top
boot_nmi_stack_top:

	.section .note.GNU-stack, "", @progbits
