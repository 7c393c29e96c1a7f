package dev.cascade.node.srt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One connection's {@code srt_bstats} totals and instant values, read into a reused native buffer.
 * Offsets into {@code SRT_TRACEBSTATS} (struct CBytePerfMon, 496 bytes on x86-64 with libsrt 1.5.1)
 * were taken with {@code offsetof} against {@code /usr/include/srt/srt.h}.
 */
public final class SrtStats {
    static final int STRUCT_SIZE = 496;
    private static final int PKT_SENT_TOTAL = 8;
    private static final int PKT_RECV_TOTAL = 16;
    private static final int PKT_SND_LOSS_TOTAL = 24;
    private static final int PKT_RCV_LOSS_TOTAL = 28;
    private static final int PKT_RETRANS_TOTAL = 32;
    private static final int PKT_SND_DROP_TOTAL = 64;
    private static final int PKT_RCV_DROP_TOTAL = 68;
    private static final int BYTE_SENT_TOTAL = 80;
    private static final int BYTE_RECV_TOTAL = 88;
    private static final int MBPS_SEND_RATE = 184;
    private static final int MBPS_RECV_RATE = 192;
    private static final int MS_RTT = 328;
    private static final int MBPS_BANDWIDTH = 336;
    private static final int MS_SND_BUF = 372;

    public volatile long packetsSent;
    public volatile long packetsReceived;
    public volatile long packetsSendLost;
    public volatile long packetsReceiveLost;
    public volatile long packetsRetransmitted;
    public volatile long packetsSendDropped;
    public volatile long packetsReceiveDropped;
    public volatile long bytesSent;
    public volatile long bytesReceived;
    public volatile double sendRateMbps;
    public volatile double receiveRateMbps;
    public volatile double rttMs;
    public volatile double bandwidthMbps;
    /** Time span of data sent but not yet acknowledged: how far behind the receiver is. */
    public volatile int sendBufferMs;

    /**
     * Reads the socket's statistics. {@code scratch} is a direct buffer of at least 496 bytes owned by
     * the calling thread. Returns false when the socket no longer exists.
     */
    public boolean read(int socket, ByteBuffer scratch, long scratchAddress) {
        if (SrtNative.srt_bstats(socket, scratchAddress, 0) != 0) {
            return false;
        }
        ByteBuffer b = scratch.order(ByteOrder.nativeOrder());
        packetsSent = b.getLong(PKT_SENT_TOTAL);
        packetsReceived = b.getLong(PKT_RECV_TOTAL);
        packetsSendLost = b.getInt(PKT_SND_LOSS_TOTAL);
        packetsReceiveLost = b.getInt(PKT_RCV_LOSS_TOTAL);
        packetsRetransmitted = b.getInt(PKT_RETRANS_TOTAL);
        packetsSendDropped = b.getInt(PKT_SND_DROP_TOTAL);
        packetsReceiveDropped = b.getInt(PKT_RCV_DROP_TOTAL);
        bytesSent = b.getLong(BYTE_SENT_TOTAL);
        bytesReceived = b.getLong(BYTE_RECV_TOTAL);
        sendRateMbps = b.getDouble(MBPS_SEND_RATE);
        receiveRateMbps = b.getDouble(MBPS_RECV_RATE);
        rttMs = b.getDouble(MS_RTT);
        bandwidthMbps = b.getDouble(MBPS_BANDWIDTH);
        sendBufferMs = b.getInt(MS_SND_BUF);
        return true;
    }
}
