#!/usr/bin/env bash
# Runs the criterion benchmarks of the mail-benches crate and prints three
# markdown tables: for each SMTP benchmark, our throughput, the peers'
# (stalwart's smtp-proto 0.2.5, and its 0.1.7 where benched) on the same
# input, and the ratios ours / peer; then the same for POP3 RETR beside its
# peer, pop3-codec 0.3.0; then the IMAP groups beside imap-codec and djc's
# imap-proto; then message parsing beside mail-parser 0.11, with the IMAP
# views of the same messages (FETCH ENVELOPE BODYSTRUCTURE RFC822.SIZE, no
# peer) as rows of that table.
#
#   benches/run.sh               run every bench, then print the table
#   benches/run.sh --table-only  print the table from the last run's results
#   benches/run.sh -- FILTER     pass FILTER (a criterion name filter) on
#
# Throughput is bytes of input per second (MB = 10^6 bytes), from the time
# per iteration of the fastest of criterion's samples (see `mbps` below for
# why not the median; MEDIAN=1 prints the median) in
# target/criterion/<group>/<bench>/new/sample.json and the byte count the
# bench declared (benchmark.json beside it). Rows without a peer are
# baselines (a memchr scan, a memcpy) or second variants of ours. Needs only
# bash, sed and awk.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

run=1
filter=()
while [ $# -gt 0 ]; do
    case "$1" in
        --table-only) run=0 ;;
        --) shift; filter=("$@"); break ;;
        *) echo "usage: $0 [--table-only] [-- FILTER]" >&2; exit 2 ;;
    esac
    shift
done

if [ "$run" = 1 ]; then
    cargo bench -p mail-benches -- "${filter[@]}"
fi

crit="${CARGO_TARGET_DIR:-$root/target}/criterion"
if [ ! -d "$crit" ]; then
    echo "no criterion results under $crit: run without --table-only first" >&2
    exit 1
fi

# Prints "MB/s" for one bench directory, or nothing if it has no results:
# the bytes over the time per iteration of the fastest of criterion's
# samples (sample.json: each sample is a batch of iterations and its total
# time). Not the median: on the shared 2-core VM we develop on, the speed of
# the same code moves by up to 1.6x in phases lasting seconds, so the
# median of a bench depends on which phase it ran in, and a ratio of two
# medians measured seconds apart on which phases each met. The fastest
# sample is each side at the machine's full speed. MEDIAN=1 prints
# criterion's median instead.
mbps() {
    local dir="$1/new" ns bytes
    [ -f "$dir/estimates.json" ] && [ -f "$dir/benchmark.json" ] || return 0
    if [ "${MEDIAN:-0}" = 1 ] || [ ! -f "$dir/sample.json" ]; then
        ns=$(sed -E 's/.*"median":\{"confidence_interval":\{[^}]*\},"point_estimate":([0-9.eE+-]+).*/\1/' "$dir/estimates.json")
    else
        ns=$(sed -E 's/.*"iters":\[([^]]*)\],"times":\[([^]]*)\].*/\1;\2/' "$dir/sample.json" |
            awk -F';' '{
                n = split($1, it, ","); split($2, tm, ",")
                for (i = 1; i <= n; i++) { t = tm[i] / it[i]; if (i == 1 || t < best) best = t }
                printf "%.6f", best
            }')
    fi
    bytes=$(sed -nE 's/.*"throughput":\{"Bytes":([0-9]+)\}.*/\1/p' "$dir/benchmark.json")
    [ -n "$bytes" ] && [ -n "$ns" ] || return 0
    awk -v b="$bytes" -v t="$ns" 'BEGIN { printf "%.0f", b / t * 1000 }'
}

echo "| bench | ours MB/s | stalwart 0.2.5 MB/s | ours / 0.2.5 | stalwart 0.1.7 MB/s | ours / 0.1.7 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
ratio() { awk -v o="$1" -v p="$2" 'BEGIN { printf "%.2fx", o / p }'; }
# Whether criterion has results for any of the groups named.
any_group() { for g in "$@"; do [ -d "$crit/$g" ] && return 0; done; return 1; }
for group in smtp_commands smtp_data smtp_replies_ehlo smtp_replies_pipelined; do
    [ -d "$crit/$group" ] || continue
    # Our benches first, then the baselines.
    names=()
    for d in "$crit/$group"/ours*/; do [ -d "$d" ] && names+=("$(basename "$d")"); done
    for d in "$crit/$group"/*/; do
        case "$(basename "$d")" in
            ours* | stalwart* | report) ;;
            *) names+=("$(basename "$d")") ;;
        esac
    done
    for name in "${names[@]}"; do
        ours=$(mbps "$crit/$group/$name")
        [ -n "$ours" ] || continue
        case "$name" in
            ours*)
                # ours_X is matched with stalwart_X, else with stalwart.
                suffix=${name#ours}
                peer_name=stalwart$suffix
                [ -d "$crit/$group/$peer_name" ] || peer_name=stalwart
                peer=$(mbps "$crit/$group/$peer_name")
                old=""
                case "$suffix" in
                    "" | _lenient | _framer | _zero_copy) old=$(mbps "$crit/$group/stalwart_0_1") ;;
                esac
                r1="–"; r2="–"
                [ -n "$peer" ] && r1=$(ratio "$ours" "$peer")
                [ -n "$old" ] && r2=$(ratio "$ours" "$old")
                echo "| $group/$name | $ours | ${peer:-–} | $r1 | ${old:-–} | $r2 |"
                ;;
            *)
                echo "| $group/$name (baseline) | $ours | – | – | – | – |"
                ;;
        esac
    done
done

# POP3: one group, whose peer is pop3-codec 0.3.0 (bench "pop3_codec").
if [ -d "$crit/pop3_retr" ]; then
    echo
    echo "| bench | ours MB/s | pop3-codec 0.3.0 MB/s | ours / pop3-codec | share of memchr_scan |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    peer=$(mbps "$crit/pop3_retr/pop3_codec")
    scan=$(mbps "$crit/pop3_retr/memchr_scan")
    # Our benches first, then the baselines.
    names=()
    for d in "$crit/pop3_retr"/ours*/; do [ -d "$d" ] && names+=("$(basename "$d")"); done
    for d in "$crit/pop3_retr"/*/; do
        case "$(basename "$d")" in
            ours* | pop3_codec | report) ;;
            *) names+=("$(basename "$d")") ;;
        esac
    done
    for name in "${names[@]}"; do
        ours=$(mbps "$crit/pop3_retr/$name")
        [ -n "$ours" ] || continue
        case "$name" in
            ours*)
                r="–"; share="–"
                [ -n "$peer" ] && r=$(ratio "$ours" "$peer")
                [ -n "$scan" ] && share=$(awk -v o="$ours" -v m="$scan" 'BEGIN { printf "%.2f", o / m }')
                echo "| pop3_retr/$name | $ours | ${peer:-–} | $r | $share |"
                ;;
            *) echo "| pop3_retr/$name (baseline) | $ours | – | – | – |" ;;
        esac
    done
fi
# IMAP: every bench of the imap_* groups with its throughput; the peers are
# imap-codec 2.0.0-alpha.10 and djc's imap-proto 0.16.7. A peer row in 4 KiB
# reads is compared with ours in the same reads, copied (`feed`) and, where
# benched, adopted without copying (`feed_owned`, the last column).
# (imap_rfc822* are message groups: they go in the last table.)
imap_groups=(imap_fetch imap_body_literal imap_search imap_command)
if any_group "${imap_groups[@]}"; then
    echo
    echo "| bench | MB/s | ours / this | ours owned reads / this |"
    echo "| --- | ---: | ---: | ---: |"
    for group in "${imap_groups[@]}"; do
        [ -d "$crit/$group" ] || continue
        for d in "$crit/$group"/*/; do
            name=$(basename "$d")
            [ "$name" = report ] && continue
            v=$(mbps "$crit/$group/$name")
            [ -n "$v" ] || continue
            # Compare each peer with our bench of the same read pattern.
            r2="–"
            case "$name" in
                ours*) r="–" ;;
                *_4k_reads)
                    o=$(mbps "$crit/$group/ours_4k_reads"); r=$(ratio "${o:-0}" "$v")
                    ow=$(mbps "$crit/$group/ours_4k_reads_owned")
                    [ -n "$ow" ] && r2=$(ratio "$ow" "$v")
                    ;;
                *_whole) o=$(mbps "$crit/$group/ours_whole"); r=$(ratio "${o:-0}" "$v") ;;
                *) o=$(mbps "$crit/$group/ours"); r=$(ratio "${o:-0}" "$v") ;;
            esac
            echo "| $group/$name | $v | $r | $r2 |"
        done
    done
fi

# Messages: rfc822-message beside mail-parser 0.11 (bench "mail_parser"),
# then the IMAP views of the same messages (FETCH ENVELOPE BODYSTRUCTURE
# RFC822.SIZE computed and encoded; no peer computes them).
message_groups=(rfc822_parse rfc822_parse_large imap_rfc822 imap_rfc822_large)
if any_group "${message_groups[@]}"; then
    echo
    echo "| bench | ours MB/s | mail-parser 0.11 MB/s | ours / mail-parser |"
    echo "| --- | ---: | ---: | ---: |"
    for group in "${message_groups[@]}"; do
        [ -d "$crit/$group" ] || continue
        peer=$(mbps "$crit/$group/mail_parser")
        for d in "$crit/$group"/ours*/; do
            [ -d "$d" ] || continue
            name=$(basename "$d")
            v=$(mbps "$crit/$group/$name")
            [ -n "$v" ] || continue
            r="–"
            [ -n "$peer" ] && [ "$name" = ours ] && r=$(ratio "$v" "$peer")
            echo "| $group/$name | $v | ${peer:-–} | $r |"
        done
    done
fi
