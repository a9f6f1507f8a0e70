/* SPDX-License-Identifier: MIT */
/*
 * What the liburcu contenders share: registration, the read side, the
 * pointer accessors, synchronize and call_rcu, under each flavour's own
 * names. The including file has included its flavour's header (with
 * _LGPL_SOURCE: the fast paths inline) and defined URCU(name) as
 * urcu_<flavour>_name; it defines the rest (init, quiescent states,
 * barrier), where the flavours differ.
 */
typedef struct rcu_head c_head_t;

/* Every thread registers, readers and the updater alike (call_rcu()
 * must come from a registered thread). */
static void c_thread_online(unsigned int id) { URCU(register_thread)(); }
static void c_thread_offline(unsigned int id) { URCU(unregister_thread)(); }
static inline void c_read_lock(void) { URCU(read_lock)(); }
static inline void c_read_unlock(void) { URCU(read_unlock)(); }
static inline void *c_dereference(void **slot) { return rcu_dereference(*slot); }

static inline void *c_replace(void **slot, void *new)
{
	void *old = CMM_LOAD_SHARED(*slot);	/* the only updater */

	rcu_assign_pointer(*slot, new);
	return old;
}

/* liburcu's call_rcu() thread does the grace periods and the callbacks. */
static inline void c_tick(void) { }
static void c_synchronize(void) { URCU(synchronize_rcu)(); }
static void c_call(c_head_t *head, void (*func)(c_head_t *)) { URCU(call_rcu)(head, func); }
