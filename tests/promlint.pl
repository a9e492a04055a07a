#!/usr/bin/perl
# Check a file of prometheus text exposition format (version 0.0.4) against
# the rules a scraper enforces: metric and label names, one HELP and one TYPE
# per metric before its samples, samples of one metric together, no
# duplicate series, escaped label values, numeric sample values, and no
# _total suffix but on a counter.
use strict;
use warnings;

my ($file) = @ARGV or die "usage: promlint.pl FILE\n";
open(my $fh, '<', $file) or die "$file: $!\n";
my (%help, %type, %done, %series);
my $current = '';
my $errors = 0;
my $n = 0;

sub bad { print "$file:$n: $_[0]\n"; $errors++; }

while (my $line = <$fh>) {
	$n++;
	chomp $line;
	next if $line eq '';
	if ($line =~ /^# (HELP|TYPE) (\S+) ?(.*)$/) {
		my ($kind, $name, $rest) = ($1, $2, $3);
		bad("bad metric name '$name'") unless $name =~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
		if ($kind eq 'HELP') {
			bad("second HELP for $name") if $help{$name}++;
		} else {
			bad("second TYPE for $name") if $type{$name}++;
			bad("bad type '$rest'") unless $rest =~ /^(counter|gauge|histogram|summary|untyped)$/;
			# The _total suffix is the counters' (promtool: "non-counter
			# metrics should not have _total suffix").
			bad("$rest $name ends in _total, kept for counters")
				if $name =~ /_total$/ && $rest ne 'counter';
		}
		bad("$name comes back after other metrics") if $done{$name};
		if ($current ne $name) {
			$done{$current} = 1 if $current ne '';
			$current = $name;
		}
		next;
	}
	next if $line =~ /^#/;
	my ($name, $labels, $value) = $line =~ /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/
		or do { bad("malformed sample: $line"); next; };
	bad("sample of $name without TYPE") unless $type{$name};
	bad("$name comes back after other metrics") if $done{$name};
	if ($current ne $name) {
		$done{$current} = 1 if $current ne '';
		$current = $name;
	}
	bad("value '$value' is not a number") unless $value =~ /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|NaN|[-+]?Inf)$/;
	if (defined $labels) {
		my $l = substr($labels, 1, -1);
		while (length $l) {
			$l =~ s/^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)//
				or do { bad("malformed labels: $labels"); last; };
		}
	}
	bad("duplicate series: $name" . ($labels // '')) if $series{$name . ($labels // '')}++;
}
exit($errors ? 1 : 0);
