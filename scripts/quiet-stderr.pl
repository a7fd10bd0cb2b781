#!/usr/bin/perl
# Copies standard input to standard error as it arrives (so a progress bar redrawn with \r stays
# live), except whole lines that start with one of the prefixes below: the JVM's incubator-module
# notice and libpng's warnings, which Loupe cannot turn off from Java. Used by ./loupe.
use strict;
use warnings;
my @drop = ("WARNING: Using incubator modules: ", "libpng warning: ");
my ($line, $mode) = ("", 0);    # mode 0: deciding, 1: passing this line, 2: dropping this line
$| = 1;
binmode STDIN;
binmode STDERR;
while (sysread(STDIN, my $chunk, 8192)) {
  my $out = "";
  for my $ch (split //, $chunk) {
    if ($mode == 1) {
      $out .= $ch;
    } elsif ($mode == 0) {
      $line .= $ch;
      if ($ch ne "\n") {
        my $undecided = grep { length($line) < length($_) && substr($_, 0, length($line)) eq $line } @drop;
        my $dropped = grep { substr($line, 0, length($_)) eq $_ } @drop;
        if ($dropped) { $mode = 2; }
        elsif (!$undecided) { $out .= $line; $mode = 1; }
        next;
      }
      $out .= $line;
    }
    if ($ch eq "\n") { ($line, $mode) = ("", 0); }
  }
  syswrite(STDERR, $out) if length $out;
}
syswrite(STDERR, $line) if $mode == 0 && length $line;
