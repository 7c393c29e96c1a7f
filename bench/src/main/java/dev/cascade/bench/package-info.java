/**
 * Benchmarks of the Cascade media path: tools run by {@code bench/run}, not tests. Each writes
 * {@code bench/results/<name>-<UTC timestamp>.json}, a PNG plot next to it, and one line in
 * {@code bench/results/README.md}.
 *
 * <ul>
 *   <li>{@link dev.cascade.bench.LatencyBench}: added latency per hop and through origin, relay and
 *       edge, against chains of {@code srt-live-transmit} with the same SRT latencies.</li>
 *   <li>{@link dev.cascade.bench.ThroughputBench}: aggregate throughput through one relay, N streams
 *       of 5 Mbps stepped up until loss, with the relay's CPU per 100 Mbps.</li>
 *   <li>{@link dev.cascade.bench.PlacementBench}: the stream manager's placement requests per second
 *       and latency, three members with 10,000 nodes and 100,000 streams, loaded by wrk.</li>
 *   <li>{@link dev.cascade.bench.AutoscaleBench}: the autoscaler on the local platform (terraform apply
 *       starting node processes): overload to a new edge INSERVICE, phase by phase, and a scheduled
 *       event's extra edges INSERVICE before its start.</li>
 * </ul>
 */
package dev.cascade.bench;
