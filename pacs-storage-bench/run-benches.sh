#!/usr/bin/env bash
# Runs the throughput benches of issues 14-17 one after another, the way their closing notes measured them:
#   pacs-storage-bench/run-benches.sh [migration|ingest|dicomweb|dimse ...]   (default: all four, 3 runs each)
# Each run starts after sync and 60 s of quiet. On a journal-less ext4 (as on the development machine) a file
# created within minutes of many unlinks scans past them, so a bench run right after a big cleanup (another
# bench's, a test run's) measures that cleanup. Needs dcmtk and orthanc for the peer rows (they are skipped
# without them). Run from anywhere; output on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
mvn -B -q -ntp -pl pacs-storage-bench,pacs-storage-cli -am package -DskipTests -Dazurite.install.skip=true \
    dependency:build-classpath -Dmdep.outputFile=target/bench.cp
# a relative outputFile is each module's own: the bench module's file is its classpath
CP="pacs-storage-bench/target/classes:$(cat pacs-storage-bench/target/bench.cp)"
settle() { sync; sleep 60; }
run() { echo "=== $* ($(date +%T), load $(cut -d' ' -f1 /proc/loadavg))"; java -cp "$CP" "$@" 2>&1 | grep -v '^SLF4J'; }
for what in "${@:-migration ingest dicomweb dimse}"; do
  for w in $what; do
    case "$w" in
      migration) for i in $(seq "$RUNS"); do settle; run -Dmigrationbench.rounds=5 -Dmigrationbench.filesOnly=true \
                   org.pacs.storage.bench.MigrationBench 400 1024 4; done ;;
      ingest) settle; run org.pacs.storage.bench.IngestBench "runs=$RUNS" cloud=0 ;;
      dicomweb) for i in $(seq "$RUNS"); do settle; run org.pacs.storage.bench.DicomWebBench 5000; done ;;
      dimse) for i in $(seq "$RUNS"); do settle; run org.pacs.storage.bench.DimseBench 5000; done ;;
      *) echo "unknown bench '$w'; use migration, ingest, dicomweb or dimse" >&2; exit 2 ;;
    esac
  done
done
