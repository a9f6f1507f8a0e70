// SPDX-License-Identifier: MIT
/*
 * Address spaces of the workload object model (see workloads/model.h):
 * VMAs, mmap_lock, the per-VMA lock, and the syscalls that change them.
 *
 * The lookup structure is a sorted array of (start, end, vma) slots that
 * is never changed in place: a writer (holding mmap_lock for writing)
 * builds a new array, publishes it with rcu_assign_pointer() and frees
 * the old one after a grace period. We chose this over an rbtree guarded
 * by a seqcount because an RCU reader of a copy-on-write array always
 * sees one complete, consistent snapshot: a lockless lookup can neither
 * miss a VMA nor need a retry loop, which is the property Linux's maple
 * tree gives find_vma() under RCU. The price is O(n) per change, cheap
 * at the few hundred VMAs an mm has here. The ranges are copied into the
 * slots so that a lockless search never reads a VMA's fields, which a
 * writer may be changing (split, merge); only after the VMA is locked
 * are its own fields read, and they are then stable.
 *
 * VMAs and arrays are freed after a grace period, so a CPU inside
 * rcu_read_lock() may dereference any VMA it found in any array it
 * loaded. A VMA removed from the mm is marked detached before the new
 * array is published; vma_start_read() can succeed on it only after the
 * writer's mmap_write_unlock(), and then sees detached.
 */
#include "../model.h"
#include <arch.h>
#include <kernel.h>
#include <libc.h>
#include <mm.h>

/* ---- names ---- */

struct anon_vma_name *anon_vma_name_alloc(const char *name)
{
	size_t len = strlen(name) + 1;
	struct anon_vma_name *n;

	if (len > VMA_NAME_MAX)
		return NULL;
	n = kmalloc(sizeof(*n) + len);
	if (!n)
		return NULL;
	refcount_set(&n->kref, 1);
	memcpy(n->name, name, len);
	return n;
}

/* A syscall's name argument: *n gets it (NULL for none); 0, -EINVAL or -ENOMEM. */
static int vma_name_arg(const char *name, struct anon_vma_name **n)
{
	*n = NULL;
	if (!name)
		return 0;
	if (strlen(name) >= VMA_NAME_MAX)
		return -EINVAL;
	*n = anon_vma_name_alloc(name);
	return *n ? 0 : -ENOMEM;
}

void anon_vma_name_get(struct anon_vma_name *n)
{
	if (n)
		refcount_inc(&n->kref);
}

/*
 * The last reference frees at once: a name is read only by holders of
 * a VMA lock or mmap_lock on a VMA that references it (see model.h), so
 * nobody can be reading a name whose count reached zero.
 */
void anon_vma_name_put(struct anon_vma_name *n)
{
	if (n && refcount_dec_and_test(&n->kref)) {
		memset(n->name, 'x', strlen(n->name));	/* see model.h */
		kfree(n);
	}
}

/* ---- the mm and its locks ---- */

struct mm_struct *mm_alloc(unsigned long task_size)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));
	struct vma_array *a = kzalloc(sizeof(*a));

	if (!mm || !a) {
		kfree(mm);
		kfree(a);
		return NULL;
	}
	init_rwsem(&mm->mmap_lock);
	mm->task_size = task_size;
	RCU_INIT_POINTER(mm->vmas, a);
	return mm;
}

static void vm_area_free_rcu(struct rcu_head *head)
{
	struct vm_area_struct *vma = container_of(head, struct vm_area_struct, rcu);

	anon_vma_name_put(vma->anon_name);
	kfree(vma);
}

/* Free a detached VMA once every RCU reader that may hold it is done. */
static void vm_area_free(struct vm_area_struct *vma)
{
	call_rcu(&vma->rcu, vm_area_free_rcu);
}

void mmput(struct mm_struct *mm)
{
	struct vma_array *a;

	if (!mm)
		return;
	a = rcu_dereference_protected(mm->vmas, 1);
	for (unsigned int i = 0; i < a->nr; i++)
		vm_area_free(a->slot[i].vma);
	kfree_rcu(a, rcu);
	/* Lockless lookups of this mm must be over: the caller's rule. */
	kfree(mm);
}

void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }

void mmap_write_lock(struct mm_struct *mm)
{
	uint64_t t0 = arch_counter_read();

	down_write(&mm->mmap_lock);
	mm->section_wait = arch_counter_read() - t0;
	mm->write_wait += mm->section_wait;
	mm->write_locks++;
}

void mmap_write_unlock(struct mm_struct *mm)
{
	/*
	 * Release: every change made to the VMAs this writer locked happens
	 * before the new sequence number is seen; pairs with the acquire in
	 * vma_start_read(). From now on none of them is write-locked.
	 */
	smp_store_release(&mm->mm_lock_seq, mm->mm_lock_seq + 1);
	if (mm->section_hook)
		mm->section_hook(mm->section_arg, mm->section_wait);
	up_write(&mm->mmap_lock);
}

/* ---- the per-VMA lock ---- */

bool vma_start_read(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	/*
	 * Cheap early exit: write-locked in the current write section. The
	 * loads race with the releases in vma_start_write() and
	 * mmap_write_unlock() and pair with them; the check that decides is
	 * the one under vm_lock below.
	 */
	if (smp_load_acquire(&vma->vm_lock_seq) == smp_load_acquire(&mm->mm_lock_seq))
		return false;
	if (!down_read_trylock(&vma->vm_lock))
		return false;
	/*
	 * A writer sets vm_lock_seq under vm_lock (write), which we now hold
	 * for reading, so vm_lock_seq is stable. Acquire on mm_lock_seq:
	 * pairs with the release in mmap_write_unlock(), so if the writer's
	 * section is over we also see every change it made to this VMA.
	 */
	if (vma->vm_lock_seq == smp_load_acquire(&mm->mm_lock_seq)) {
		up_read(&vma->vm_lock);
		return false;
	}
	return true;
}

void vma_end_read(struct vm_area_struct *vma)
{
	up_read(&vma->vm_lock);
}

void vma_start_write(struct vm_area_struct *vma)
{
	int seq = vma->vm_mm->mm_lock_seq;	/* stable: we hold mmap_lock (write) */
	uint64_t t0;

	if (vma->vm_lock_seq == seq)
		return;
	/* Wait for the VMA's readers; new ones fail on vm_lock_seq. */
	t0 = arch_counter_read();
	down_write(&vma->vm_lock);
	t0 = arch_counter_read() - t0;
	vma->vm_mm->section_wait += t0;
	vma->vm_mm->write_wait += t0;
	vma->vm_mm->vma_write_wait += t0;
	/* Release: pairs with the early-exit load in vma_start_read(). */
	smp_store_release(&vma->vm_lock_seq, seq);
	up_write(&vma->vm_lock);
}

/* ---- lookups ---- */

/* Index of the first slot with end > addr (a->nr if none). */
static unsigned int slot_search(const struct vma_array *a, unsigned long addr)
{
	unsigned int lo = 0, hi = a->nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (a->slot[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vma_array *a = rcu_dereference_protected(mm->vmas,
							rwsem_is_locked(&mm->mmap_lock));
	unsigned int i = slot_search(a, addr);

	return i < a->nr ? a->slot[i].vma : NULL;
}

/*
 * Shared by both lockless lookups: the slot found in the array loaded
 * under RCU, then the VMA locked and re-checked (it may have been
 * changed or detached between our load of the array and the lock).
 */
static struct vm_area_struct *lock_vma_rcu(struct mm_struct *mm, unsigned long addr,
					   bool covering, bool *retry)
{
	struct vm_area_struct *vma;
	struct vma_array *a;
	unsigned int i;

	*retry = false;
	rcu_read_lock();
	/* Pairs with rcu_assign_pointer() in vma_array_publish(). */
	a = rcu_dereference(mm->vmas);
	i = slot_search(a, addr);
	if (i == a->nr || (covering && addr < a->slot[i].start)) {
		rcu_read_unlock();
		return NULL;
	}
	vma = a->slot[i].vma;
	if (!vma_start_read(vma))
		goto fail;
	/* Locked: its fields are stable now. */
	if (vma->detached || vma->vm_end <= addr || (covering && addr < vma->vm_start)) {
		vma_end_read(vma);
		goto fail;
	}
	rcu_read_unlock();
	return vma;
fail:
	rcu_read_unlock();
	*retry = true;
	return NULL;
}

struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm, unsigned long addr)
{
	bool retry;

	return lock_vma_rcu(mm, addr, true, &retry);
}

struct vm_area_struct *find_and_lock_vma_rcu(struct mm_struct *mm, unsigned long addr,
					     bool *retry)
{
	return lock_vma_rcu(mm, addr, false, retry);
}

unsigned int mm_nr_vmas(struct mm_struct *mm)
{
	unsigned int n;

	rcu_read_lock();
	n = rcu_dereference(mm->vmas)->nr;
	rcu_read_unlock();
	return n;
}

/* ---- faults ---- */

static int do_fault(struct vm_area_struct *vma, bool write)
{
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EFAULT;
	/* "Populate": the page-table update a real fault would make. */
	atomic_long_inc(&vma->nr_pages);
	return 0;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, bool write, bool *fallback)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, addr);
	int err;

	*fallback = false;
	if (vma) {
		err = do_fault(vma, write);
		vma_end_read(vma);
		return err;
	}
	/* No VMA, or it is being changed: retry under mmap_lock, as Linux does. */
	*fallback = true;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	err = vma && vma->vm_start <= addr ? do_fault(vma, write) : -EFAULT;
	mmap_read_unlock(mm);
	return err;
}

/* ---- writers: caller holds mmap_lock for writing ---- */

static struct vma_array *vmas_locked(struct mm_struct *mm)
{
	lockdep_assert_held(&mm->mmap_lock);
	return rcu_dereference_protected(mm->vmas, 1);
}

/*
 * Replace the array: a copy of the old one with slot `at` and the `drop`
 * slots after it replaced by `nins` new slots. The new array is fully
 * written before rcu_assign_pointer() (release) publishes it; the old
 * one is freed after a grace period. -ENOMEM leaves the mm unchanged.
 */
static int vma_array_publish(struct mm_struct *mm, unsigned int at, unsigned int drop,
			     const struct vma_slot *ins, unsigned int nins)
{
	struct vma_array *old = vmas_locked(mm);
	unsigned int nr = old->nr - drop + nins;
	struct vma_array *a = kmalloc(sizeof(*a) + nr * sizeof(a->slot[0]));

	if (!a)
		return -ENOMEM;
	a->nr = nr;
	memcpy(a->slot, old->slot, at * sizeof(a->slot[0]));
	if (nins)
		memcpy(a->slot + at, ins, nins * sizeof(a->slot[0]));
	memcpy(a->slot + at + nins, old->slot + at + drop,
	       (old->nr - at - drop) * sizeof(a->slot[0]));
	rcu_assign_pointer(mm->vmas, a);
	kfree_rcu(old, rcu);
	return 0;
}

static struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma));

	if (!vma)
		return NULL;
	vma->magic = VMA_MAGIC;
	vma->vm_mm = mm;
	init_rwsem(&vma->vm_lock);
	/* Born write-locked: lookups fail on it until mmap_write_unlock(). */
	vma->vm_lock_seq = mm->mm_lock_seq;
	return vma;
}

static struct vma_slot slot_of(struct vm_area_struct *vma)
{
	return (struct vma_slot){ vma->vm_start, vma->vm_end, vma };
}

/* The slot index of the VMA containing addr, or -ENOENT. */
static int find_slot(struct mm_struct *mm, unsigned long addr)
{
	struct vma_array *a = vmas_locked(mm);
	unsigned int i = slot_search(a, addr);

	return i < a->nr && a->slot[i].start <= addr ? (int)i : -ENOENT;
}

static bool range_ok(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	return len && IS_ALIGNED(addr, PAGE_SIZE) && IS_ALIGNED(len, PAGE_SIZE) &&
	       addr < mm->task_size && len <= mm->task_size - addr;
}

int do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	    unsigned long flags, unsigned long ino, const char *name)
{
	struct anon_vma_name *n = NULL;
	struct vm_area_struct *vma;
	struct vma_slot s;
	unsigned int i;
	int err;

	if (!range_ok(mm, addr, len) || (flags & ~(VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)))
		return -EINVAL;
	err = vma_name_arg(name, &n);
	if (err)
		return err;
	mmap_write_lock(mm);
	i = slot_search(vmas_locked(mm), addr);
	if (i < vmas_locked(mm)->nr && vmas_locked(mm)->slot[i].start < addr + len) {
		err = -EEXIST;
		goto out;
	}
	err = -ENOMEM;
	vma = vm_area_alloc(mm);
	if (!vma)
		goto out;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = flags;
	vma->vm_pgoff = addr >> PAGE_SHIFT;
	vma->vm_ino = ino;
	vma->anon_name = n;
	s = slot_of(vma);
	err = vma_array_publish(mm, i, 0, &s, 1);
	if (err) {
		vma->anon_name = NULL;
		kfree(vma);
		goto out;
	}
	n = NULL;
out:
	mmap_write_unlock(mm);
	anon_vma_name_put(n);
	return err;
}

int do_munmap(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	int i, err;

	mmap_write_lock(mm);
	i = find_slot(mm, addr);
	if (i < 0) {
		err = i;
		goto out;
	}
	vma = vmas_locked(mm)->slot[i].vma;
	vma_start_write(vma);
	err = vma_array_publish(mm, i, 1, NULL, 0);
	if (!err) {
		/* Write-locked: a reader that locks it later sees detached. */
		vma->detached = true;
		vm_area_free(vma);
	}
out:
	mmap_write_unlock(mm);
	return err;
}

int do_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long flags)
{
	struct vm_area_struct *vma;
	int i;

	if (flags & ~(VM_READ | VM_WRITE | VM_EXEC))
		return -EINVAL;
	mmap_write_lock(mm);
	i = find_slot(mm, addr);
	if (i >= 0) {
		vma = vmas_locked(mm)->slot[i].vma;
		vma_start_write(vma);
		vma->vm_flags = (vma->vm_flags & VM_SHARED) | flags;
	}
	mmap_write_unlock(mm);
	return i < 0 ? i : 0;
}

int split_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma, *upper;
	struct vma_slot s[2];
	int i, err;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	mmap_write_lock(mm);
	i = find_slot(mm, addr);
	err = i < 0 ? i : -EINVAL;
	if (i < 0 || vmas_locked(mm)->slot[i].start == addr)
		goto out;
	vma = vmas_locked(mm)->slot[i].vma;
	err = -ENOMEM;
	upper = vm_area_alloc(mm);
	if (!upper)
		goto out;
	vma_start_write(vma);
	upper->vm_start = addr;
	upper->vm_end = vma->vm_end;
	upper->vm_flags = vma->vm_flags;
	upper->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	upper->vm_ino = vma->vm_ino;
	upper->anon_name = vma->anon_name;
	s[0] = (struct vma_slot){ vma->vm_start, addr, vma };
	s[1] = slot_of(upper);
	err = vma_array_publish(mm, i, 1, s, 2);
	if (err) {
		kfree(upper);
		goto out;
	}
	anon_vma_name_get(upper->anon_name);	/* the halves share the name */
	vma->vm_end = addr;
out:
	mmap_write_unlock(mm);
	return err;
}

static bool vma_names_equal(const struct anon_vma_name *a, const struct anon_vma_name *b)
{
	return a == b || (a && b && !strcmp(a->name, b->name));
}

int merge_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma, *next;
	struct vma_slot s;
	int i, err;

	mmap_write_lock(mm);
	i = find_slot(mm, addr);
	err = i < 0 ? i : -EINVAL;
	if (i < 0 || (unsigned int)i + 1 >= vmas_locked(mm)->nr)
		goto out;
	vma = vmas_locked(mm)->slot[i].vma;
	next = vmas_locked(mm)->slot[i + 1].vma;
	if (vma->vm_end != next->vm_start || vma->vm_flags != next->vm_flags ||
	    vma->vm_ino != next->vm_ino ||
	    next->vm_pgoff != vma->vm_pgoff + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) ||
	    !vma_names_equal(vma->anon_name, next->anon_name))
		goto out;
	vma_start_write(vma);
	vma_start_write(next);
	s = (struct vma_slot){ vma->vm_start, next->vm_end, vma };
	err = vma_array_publish(mm, i, 2, &s, 1);
	if (err)
		goto out;
	vma->vm_end = next->vm_end;
	next->detached = true;
	vm_area_free(next);
out:
	mmap_write_unlock(mm);
	return err;
}

/*
 * Replace the name of the VMA at addr. lock_vma: write-lock the VMA too
 * (today's rule, vma_set_name()); without it, mmap_lock alone (the older
 * rule, vma_set_anon_name_mmap_locked(), which names only anonymous VMAs).
 */
static int rename_vma(struct mm_struct *mm, unsigned long addr, const char *name, bool lock_vma)
{
	struct anon_vma_name *n, *old = NULL;
	int i, err = vma_name_arg(name, &n);

	if (err)
		return err;
	mmap_write_lock(mm);
	i = find_slot(mm, addr);
	if (i >= 0 && !lock_vma && vmas_locked(mm)->slot[i].vma->vm_ino) {
		i = -EINVAL;
	} else if (i >= 0) {
		struct vm_area_struct *vma = vmas_locked(mm)->slot[i].vma;

		old = vma->anon_name;
		if (lock_vma) {
			/* No reader holds the VMA (or mmap_lock) while we swap. */
			vma_start_write(vma);
			vma->anon_name = n;
		} else {
			/*
			 * No vma_start_write(): mmap_lock alone is this rule's
			 * protection, and a reader holding only the VMA's lock
			 * reads the pointer while we change it (a data race, on
			 * purpose: WRITE_ONCE so it is at least one store). The
			 * old name is freed below, at once, as Linux's
			 * anon_vma_name_put() does.
			 */
			WRITE_ONCE(vma->anon_name, n);
		}
		n = NULL;
	}
	mmap_write_unlock(mm);
	anon_vma_name_put(old);
	anon_vma_name_put(n);
	return i < 0 ? i : 0;
}

int vma_set_name(struct mm_struct *mm, unsigned long addr, const char *name)
{
	return rename_vma(mm, addr, name, true);
}

int vma_set_anon_name_mmap_locked(struct mm_struct *mm, unsigned long addr, const char *name)
{
	return rename_vma(mm, addr, name, false);
}
