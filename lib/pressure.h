/* Pressure stall information: /proc/pressure/{cpu,io,memory} and the
 * cgroup v2 files cpu.pressure, io.pressure, memory.pressure. */
#ifndef PROCDX_PRESSURE_H
#define PROCDX_PRESSURE_H

#include <stdbool.h>
#include <stdint.h>

#include "procfs.h"

/* One line: the kernel's running averages (percent) and the cumulative
 * stall time in microseconds. */
struct psi_line {
	double avg10, avg60, avg300;
	uint64_t total;
};

struct psi {
	bool has_some, has_full;
	struct psi_line some, full;
};

/* Parse the text of a pressure file ("some avg10=0.00 avg60=0.00
 * avg300=0.00 total=0", then an optional "full ..." line; cpu had no full
 * line before 5.13). Unknown lines are ignored. Returns 0, or -EINVAL when
 * neither a some nor a full line parses. */
int psi_parse(const char *buf, struct psi *p);

/* Read /proc/pressure/RESOURCE ("cpu", "io", "memory", "irq") under pf's
 * root. Returns 0; -ENOENT when the kernel has no PSI (before 4.20, or
 * CONFIG_PSI off) or not that resource; -EOPNOTSUPP when PSI is compiled in
 * but disabled (psi=0 on the command line: the files exist, reading them
 * fails); -EACCES; -EINVAL for a malformed file. Never a zeroed struct on
 * failure: the caller shows "unavailable", not 0. */
int psi_read(const struct procfs *pf, const char *resource, struct psi *p);

/* The same for a file name relative to dirfd (a cgroup v2 directory and
 * "memory.pressure"). */
int psi_read_at(int dirfd, const char *name, struct psi *p);

/* Percent of the time stalled between two readings dt seconds apart, from
 * the total= counters: 100 * (b - a) / (dt * 1e6), clamped to 0..100.
 * Returns -1 when it cannot be told (dt <= 0, or the counter went back). */
double psi_pct(uint64_t a, uint64_t b, double dt);

#endif
