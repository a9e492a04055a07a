/* System-wide files: /proc/stat, /proc/uptime, /proc/loadavg. */
#ifndef PROCDX_SYSINFO_H
#define PROCDX_SYSINFO_H

#include <stdint.h>

#include "procfs.h"

/* CPU time in clock ticks, the "cpu" line of /proc/stat. */
struct cpu_times {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice;
	int nfields;
};

struct sys_stat {
	struct cpu_times cpu;		/* all CPUs */
	int ncpus;			/* "cpuN" lines */
	uint64_t ctxt, btime, processes;
	int64_t procs_running, procs_blocked;	/* -1 when absent */
};

/* Parse the text of /proc/stat. Returns 0, or -EINVAL without a "cpu " line. */
int sysstat_parse(const char *buf, size_t len, struct sys_stat *st);
int sysstat_read(const struct procfs *pf, struct sys_stat *st);

/* /proc/uptime: seconds since boot and idle seconds (summed over CPUs). */
int uptime_parse(const char *buf, double *up, double *idle);
int uptime_read(const struct procfs *pf, double *up, double *idle);

struct loadavg {
	double load[3];
	int64_t running, total;		/* threads */
	int64_t last_pid;
};
int loadavg_parse(const char *buf, struct loadavg *la);
int loadavg_read(const struct procfs *pf, struct loadavg *la);

#endif
