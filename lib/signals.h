/* Signal names, without glibc's sigabbrev_np (musl has none). */
#ifndef PROCDX_SIGNALS_H
#define PROCDX_SIGNALS_H

/* "TERM" for SIGTERM, "RTMIN+3" for a real-time signal; buf for numbers it
 * does not know ("64"). Returns buf or a static name. */
const char *signal_name(int sig, char *buf, unsigned size);

/* A signal from "TERM", "SIGTERM", "term" or "15". Returns it, or -1. */
int signal_parse(const char *s);

#endif
