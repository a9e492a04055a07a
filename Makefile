# procdx: one non-recursive Makefile.
#
#   make                  bin/<tool> for every cmd/<tool>.c
#   make check            build everything and run the whole test suite (prove)
#   make check SANITIZE=1 the same, built with AddressSanitizer + UBSan
#   make lint             cppcheck, shellcheck, no /proc or /sys literal in cmd/
#   make bench            scripts/bench: the tools against a floor program and procps
#   make fuzz             libFuzzer builds of every fuzz target (needs clang)
#   make install / uninstall   PREFIX, DESTDIR, PROGRAM_PREFIX

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes -Wmissing-prototypes
ifneq ($(WERROR),0)
WARN     += -Werror
endif
CPPFLAGS += -std=gnu11 -D_GNU_SOURCE -Ilib -Ibuild/gen
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
PROGRAM_PREFIX ?=
VERSION  := 0.1.0


ifeq ($(SANITIZE),1)
B        := build-san
BIN      := build-san/bin
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(STATIC),1)
# Fully static binaries to scp onto a broken box: musl when there is
# musl-gcc (Debian's musl-tools), else static glibc.
B        := build-static
BIN      := static
CC       := $(shell command -v musl-gcc >/dev/null 2>&1 && echo musl-gcc || echo $(CC))
LDFLAGS  += -static
SANFLAGS :=
# musl brings no kernel headers: borrow the system's linux/ and asm/ only.
ifeq ($(CC),musl-gcc)
KINC     := build-static/kinc
CPPFLAGS += -isystem $(KINC)
STATIC_PRE := $(KINC)/.done
endif
else
B        := build
BIN      := bin
SANFLAGS :=
endif

ALL_CFLAGS = $(CPPFLAGS) $(CFLAGS) $(WARN) $(SANFLAGS) -DPROCDX_VERSION='"$(VERSION)"' -MMD -MP

TOOLS    := $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
LIBSRC   := $(wildcard lib/*.c)
LIBOBJ   := $(patsubst lib/%.c,$(B)/lib/%.o,$(LIBSRC))
LIBA     := $(B)/libprocdx.a
GEN      := build/gen/syscalls_gen.h

UNITSRC  := $(wildcard tests/unit/*.c)
UNITBIN  := $(patsubst tests/unit/%.c,$(B)/tests/unit-%,$(UNITSRC))
HELPSRC  := $(wildcard tests/helpers/*.c)
HELPBIN  := $(patsubst tests/helpers/%.c,$(B)/tests/%,$(HELPSRC))
FUZZSRC  := $(filter-out tests/fuzz/driver.c,$(wildcard tests/fuzz/*.c))
FUZZBIN  := $(patsubst tests/fuzz/%.c,$(B)/tests/%,$(FUZZSRC))

.PHONY: all check lint bench fuzz install uninstall clean tests static
all: $(addprefix $(BIN)/,$(TOOLS))

# The syscall table comes from the system's kernel headers, whichever C
# library the tools are linked with.
$(GEN): scripts/gen-syscalls
	@mkdir -p $(dir $@)
	sh scripts/gen-syscalls cc > $@.tmp && mv $@.tmp $@

$(KINC)/.done:
	@mkdir -p $(KINC)
	ln -sfn /usr/include/linux $(KINC)/linux
	ln -sfn /usr/include/asm-generic $(KINC)/asm-generic
	ln -sfn $$(dirname $$(echo '#include <asm/types.h>' | cc -E -x c - -M | \
		tr ' ' '\n' | grep '/asm/types.h$$')) $(KINC)/asm
	touch $@

$(B)/lib/%.o: lib/%.c | $(GEN) $(STATIC_PRE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/cmd/%.o: cmd/%.c | $(GEN) $(STATIC_PRE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BIN)/%: $(B)/cmd/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/unit-%: tests/unit/%.c tests/unit/tap.h $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

# Scenario helpers build the situations under test; they are not under test
# themselves, and a sanitizer's own memory would skew the sizes they make.
$(B)/tests/%: tests/helpers/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP $(LDFLAGS) -o $@ $< -lpthread

# Fuzz targets are also built with an ordinary main() that replays a corpus,
# so `make check` runs every target on its corpus without clang.
$(B)/tests/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/driver.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/driver.c $(LIBA) $(LDLIBS)

tests: all $(UNITBIN) $(HELPBIN) $(FUZZBIN)

check: tests
	PROCDX_BIN=$(CURDIR)/$(BIN) PROCDX_TESTBIN=$(CURDIR)/$(B)/tests \
		prove --exec '' $(PROVEFLAGS) $(UNITBIN) tests/t*.sh

static:
	$(MAKE) STATIC=1 SANITIZE=0 all

fuzz: $(LIBSRC) | $(GEN)
	@mkdir -p build/libfuzzer
	for f in $(FUZZSRC); do \
		n=$$(basename $$f .c); \
		clang $(CPPFLAGS) -DPROCDX_VERSION='"$(VERSION)"' -g -O1 \
			-fsanitize=fuzzer,address,undefined \
			-o build/libfuzzer/$$n $$f $(LIBSRC) || exit 1; \
	done

lint: all
	sh scripts/lint

bench: all build/floor
	sh scripts/bench

build/floor: tests/bench/floor.c
	@mkdir -p build
	$(CC) -std=gnu11 -D_GNU_SOURCE -O2 -o $@ $<

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(COMPDIR)
	for t in $(TOOLS); do \
		install -m 755 $(BIN)/$$t $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)$$t || exit 1; \
		sh scripts/man-prefix '$(PROGRAM_PREFIX)' man/$$t.1 $(TOOLS) \
			> $(DESTDIR)$(MANDIR)/man1/$(PROGRAM_PREFIX)$$t.1 || exit 1; \
		chmod 644 $(DESTDIR)$(MANDIR)/man1/$(PROGRAM_PREFIX)$$t.1 || exit 1; \
		sed "s/^complete -F _procdx .*/complete -F _procdx $(PROGRAM_PREFIX)$$t/" \
			completion/procdx.bash > $(DESTDIR)$(COMPDIR)/$(PROGRAM_PREFIX)$$t || exit 1; \
	done
	sh scripts/man-prefix '$(PROGRAM_PREFIX)' man/procdx.7 $(TOOLS) \
		> $(DESTDIR)$(MANDIR)/man7/procdx.7
	chmod 644 $(DESTDIR)$(MANDIR)/man7/procdx.7
	install -m 755 scripts/triage $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)procdx-triage
	install -m 755 scripts/capture $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)procdx-capture

uninstall:
	for t in $(TOOLS); do \
		rm -f $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)$$t $(DESTDIR)$(MANDIR)/man1/$(PROGRAM_PREFIX)$$t.1 \
			$(DESTDIR)$(COMPDIR)/$(PROGRAM_PREFIX)$$t; \
	done
	rm -f $(DESTDIR)$(MANDIR)/man7/procdx.7 $(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)procdx-triage \
		$(DESTDIR)$(BINDIR)/$(PROGRAM_PREFIX)procdx-capture

clean:
	rm -rf build build-san build-static bin static

-include $(wildcard $(B)/lib/*.d $(B)/cmd/*.d $(B)/tests/*.d)
