/**
 * Pure placement logic of the stream manager: the consistent-hash ring, bounded loads, recent
 * (pending) placements and the IP-to-region table. No Hazelcast and no HTTP here; the service
 * feeds these classes node ids, loads and clocks.
 */
package dev.cascade.manager.placement;
