package dev.cascade.node.webrtc;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Datagrams to many peers, sent with one {@code sendmmsg(2)}: the per-viewer fan-out of a packet
 * costs one system call per {@link #CAPACITY} viewers instead of one each. Everything lives in
 * native memory laid out once: {@code struct mmsghdr[CAPACITY]} (64 bytes each on LP64), one
 * {@code struct iovec} and one {@code struct sockaddr_in} per entry, and a data slot per entry.
 * Adding a datagram copies its bytes and its peer's address into the next entry and sets one
 * length; nothing is allocated. One owner thread (a stream's loop); not thread-safe.
 */
public final class UdpBatch {
    /** Entries per system call. */
    public static final int CAPACITY = 128;
    /** Largest datagram: an RTP packet of {@code WebRtcStreamOut} plus the SRTP tag, with room to spare. */
    public static final int SLOT = 1536;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;

    /** Told, at flush, about each datagram the kernel did not take. */
    public interface DropListener {
        void dropped(int tag);
    }

    private final UdpSocket socket;
    private final ByteBuffer headers;
    private final ByteBuffer iovecs;
    private final ByteBuffer names;
    private final ByteBuffer data;
    private final long headersAddress;
    private final DropListener[] owners = new DropListener[CAPACITY];
    private final int[] tags = new int[CAPACITY];
    private int count;
    /** System calls made and datagrams the kernel refused, for metrics. */
    public long calls;
    public long refused;

    public UdpBatch(UdpSocket socket) {
        this.socket = socket;
        headers = ByteBuffer.allocateDirect(CAPACITY * MMSGHDR).order(ByteOrder.nativeOrder());
        iovecs = ByteBuffer.allocateDirect(CAPACITY * IOVEC).order(ByteOrder.nativeOrder());
        names = ByteBuffer.allocateDirect(CAPACITY * UdpSocket.SOCKADDR_LEN).order(ByteOrder.nativeOrder());
        data = ByteBuffer.allocateDirect(CAPACITY * SLOT).order(ByteOrder.nativeOrder());
        headersAddress = com.sun.jna.Pointer.nativeValue(Native.getDirectBufferPointer(headers));
        long iovAddress = com.sun.jna.Pointer.nativeValue(Native.getDirectBufferPointer(iovecs));
        long nameAddress = com.sun.jna.Pointer.nativeValue(Native.getDirectBufferPointer(names));
        long dataAddress = com.sun.jna.Pointer.nativeValue(Native.getDirectBufferPointer(data));
        for (int i = 0; i < CAPACITY; i++) {
            int h = i * MMSGHDR;
            headers.putLong(h, nameAddress + (long) i * UdpSocket.SOCKADDR_LEN); // msg_name
            headers.putInt(h + 8, UdpSocket.SOCKADDR_LEN);                        // msg_namelen
            headers.putLong(h + 16, iovAddress + (long) i * IOVEC);               // msg_iov
            headers.putLong(h + 24, 1);                                           // msg_iovlen
            headers.putLong(h + 32, 0);                                           // msg_control
            headers.putLong(h + 40, 0);                                           // msg_controllen
            headers.putInt(h + 48, 0);                                            // msg_flags
            iovecs.putLong(i * IOVEC, dataAddress + (long) i * SLOT);            // iov_base
        }
    }

    /**
     * Queues one datagram to {@code sockaddr} ({@link UdpSocket#sockaddr}); sends the batch first if
     * it is full. {@code owner} hears of it (with {@code tag}) if the kernel does not take it.
     */
    public void add(byte[] packet, int length, byte[] sockaddr, DropListener owner, int tag) {
        if (length > SLOT) {
            owner.dropped(tag);
            return;
        }
        if (count == CAPACITY) {
            flush();
        }
        int i = count++;
        data.put(i * SLOT, packet, 0, length);
        names.put(i * UdpSocket.SOCKADDR_LEN, sockaddr, 0, UdpSocket.SOCKADDR_LEN);
        iovecs.putLong(i * IOVEC + 8, length);
        owners[i] = owner;
        tags[i] = tag;
    }

    public int size() {
        return count;
    }

    /** Sends what is queued. A datagram the kernel refuses (its buffer full) is dropped and reported. */
    public void flush() {
        int n = count;
        if (n == 0) {
            return;
        }
        int sent = 0;
        while (sent < n) {
            calls++;
            int r = UdpSocket.sendmmsg(socket.fd(), headersAddress + (long) sent * MMSGHDR, n - sent, UdpSocket.MSG_DONTWAIT);
            if (r <= 0) {
                // EAGAIN (send buffer full) or an error for entry `sent`: drop that one, go on with the rest
                refused++;
                owners[sent].dropped(tags[sent]);
                sent++;
            } else {
                sent += r;
            }
        }
        for (int i = 0; i < n; i++) {
            owners[i] = null;
        }
        count = 0;
    }
}
