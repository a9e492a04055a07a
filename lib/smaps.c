/* Parsers of smaps_rollup and smaps. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "smaps.h"
#include "util.h"

struct counter_key {
	const char *key;
	unsigned char klen;
	unsigned bit;
	unsigned short off;
};

#define CK(k, bit, f) { k, sizeof(k) - 1, bit, offsetof(struct mem_counters, f) }

static const struct counter_key counter_keys[] = {
	CK("Size", SMF_SIZE, size),
	CK("Rss", SMF_RSS, rss),
	CK("Pss", SMF_PSS, pss),
	CK("Pss_Dirty", SMF_PSS_DIRTY, pss_dirty),
	CK("Pss_Anon", SMF_PSS_ANON, pss_anon),
	CK("Pss_File", SMF_PSS_FILE, pss_file),
	CK("Pss_Shmem", SMF_PSS_SHMEM, pss_shmem),
	CK("Shared_Clean", SMF_SHARED_CLEAN, shared_clean),
	CK("Shared_Dirty", SMF_SHARED_DIRTY, shared_dirty),
	CK("Private_Clean", SMF_PRIVATE_CLEAN, private_clean),
	CK("Private_Dirty", SMF_PRIVATE_DIRTY, private_dirty),
	CK("Referenced", SMF_REFERENCED, referenced),
	CK("Anonymous", SMF_ANONYMOUS, anonymous),
	CK("LazyFree", SMF_LAZYFREE, lazyfree),
	CK("AnonHugePages", SMF_ANON_HUGE, anon_huge),
	CK("Swap", SMF_SWAP, swap),
	CK("SwapPss", SMF_SWAP_PSS, swap_pss),
	CK("Locked", SMF_LOCKED, locked),
};

int smaps_counter_line(const char *line, size_t len, struct mem_counters *mc)
{
	const char *colon = memchr(line, ':', len);
	char num[32];
	const char *p, *end = line + len;
	size_t klen, n = 0;
	uint64_t v;

	if (!colon)
		return 0;
	klen = (size_t)(colon - line);
	for (size_t i = 0; i < ARRAY_SIZE(counter_keys); i++) {
		const struct counter_key *k = &counter_keys[i];

		if (k->klen != klen || memcmp(k->key, line, klen))
			continue;
		for (p = colon + 1; p < end && *p == ' '; p++)
			;
		while (p < end && *p >= '0' && *p <= '9' && n < sizeof(num) - 1)
			num[n++] = *p++;
		num[n] = '\0';
		if (!n || end - p != 3 || memcmp(p, " kB", 3) || parse_u64_str(num, &v) < 0 ||
		    mul_overflows(v, 1024, &v))
			return -EINVAL;
		/* Values add up: a rollup has each key once, and summing
		 * mappings is what a total is. */
		if (add_overflows(*(uint64_t *)((char *)mc + k->off), v,
				  (uint64_t *)((char *)mc + k->off)))
			return -EINVAL;
		mc->has |= k->bit;
		return 1;
	}
	return 0;
}

int smaps_rollup_parse(const char *buf, size_t len, struct mem_counters *mc)
{
	const char *p = buf, *end = buf + len;

	memset(mc, 0, sizeof(*mc));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;

		if (smaps_counter_line(p, (size_t)(lend - p), mc) < 0)
			return -EINVAL;
		p = nl ? nl + 1 : end;
	}
	return (mc->has & SMF_RSS) && (mc->has & SMF_PSS) ? 0 : -EINVAL;
}

int smaps_rollup_read(struct pidh *h, struct mem_counters *mc)
{
	char buf[2048];
	ssize_t n = pidh_read(h, "smaps_rollup", buf, sizeof(buf), 0, NULL);

	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;	/* a kernel thread or a zombie: no mm */
	return smaps_rollup_parse(buf, (size_t)n, mc);
}
