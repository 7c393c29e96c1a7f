package dev.cascade.node.webrtc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The WebRTC port's UDP socket, straight from libc through JNA direct mapping, for the one call
 * the JDK does not offer: {@code sendmmsg(2)}, which hands the kernel a whole fan-out (one packet
 * to hundreds of viewers, each with its own address) in one system call ({@link UdpBatch}). It also
 * keeps the JDK's channel locks off the packet path: the receive thread and the stream loops each
 * call the kernel directly, and the kernel serialises what needs it. IPv4 only, like our ICE
 * candidates. Linux (x86-64, aarch64).
 */
public final class UdpSocket implements AutoCloseable {
    static {
        Native.register(UdpSocket.class, NativeLibrary.getInstance("c"));
    }

    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    static final int MSG_DONTWAIT = 0x40;
    private static final int SHUT_RDWR = 2;
    /** sizeof(struct sockaddr_in). */
    public static final int SOCKADDR_LEN = 16;

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int bind(int fd, byte[] addr, int len) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, long[] value, int len) throws LastErrorException;

    private static native int getsockname(int fd, byte[] addr, int[] len) throws LastErrorException;

    private static native long recvfrom(int fd, long buf, long len, int flags, byte[] from, int[] fromLen);

    private static native long sendto(int fd, byte[] buf, long len, int flags, byte[] to, int toLen);

    static native int sendmmsg(int fd, long msgvec, int vlen, int flags);

    private static native int shutdown(int fd, int how);

    private static native int close(int fd);

    private final int fd;
    private final InetSocketAddress local;
    private volatile boolean closed;
    // Receive side, one thread: the sender's address, reused while it does not change.
    private final byte[] from = new byte[SOCKADDR_LEN];
    private final int[] fromLen = new int[1];
    private final byte[] lastFrom = new byte[SOCKADDR_LEN];
    private InetSocketAddress lastSender;

    /** Binds a UDP socket with 4 MB buffers; receive blocks at most {@code receiveTimeoutMillis}. */
    public UdpSocket(InetSocketAddress bind, int receiveTimeoutMillis) throws IOException {
        try {
            fd = socket(AF_INET, SOCK_DGRAM, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_INET, SOCK_DGRAM): errno " + e.getErrorCode(), e);
        }
        try {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, new int[] {4 << 20}, 4);
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, new int[] {4 << 20}, 4);
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, new long[] {receiveTimeoutMillis / 1000, (receiveTimeoutMillis % 1000) * 1000L}, 16);
            bind(fd, sockaddr(bind), SOCKADDR_LEN);
            byte[] name = new byte[SOCKADDR_LEN];
            getsockname(fd, name, new int[] {SOCKADDR_LEN});
            local = address(name);
        } catch (LastErrorException e) {
            close(fd);
            throw new IOException("cannot bind UDP " + bind + ": errno " + e.getErrorCode()
                    + (e.getErrorCode() == 98 ? " (address in use)" : ""), e);
        }
    }

    int fd() {
        return fd;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Blocks for one datagram into {@code buf} (a direct buffer at native {@code address}) from
     * index 0. Returns its length, or 0 when the wait timed out or the socket was closed.
     */
    int receive(ByteBuffer buf, long address) {
        fromLen[0] = SOCKADDR_LEN;
        long n = recvfrom(fd, address, buf.capacity(), 0, from, fromLen);
        return n < 0 ? 0 : (int) n; // -1: the SO_RCVTIMEO wait ran out, or the socket was closed
    }

    /** Who sent the datagram {@link #receive} returned last (the same object while it is the same peer). */
    InetSocketAddress sender() {
        if (lastSender == null || !Arrays.equals(from, lastFrom)) {
            System.arraycopy(from, 0, lastFrom, 0, SOCKADDR_LEN);
            lastSender = address(from);
        }
        return lastSender;
    }

    /** One datagram, non-blocking; false if the kernel did not take it. Any thread. */
    boolean send(byte[] data, int offset, int length, byte[] sockaddr) {
        byte[] d = offset == 0 ? data : Arrays.copyOfRange(data, offset, offset + length);
        return sendto(fd, d, length, MSG_DONTWAIT, sockaddr, SOCKADDR_LEN) == length;
    }

    /** {@code struct sockaddr_in} for an IPv4 address: family in host order, port and address in network order. */
    public static byte[] sockaddr(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (!(ip instanceof Inet4Address)) {
            throw new IllegalArgumentException("IPv4 only: " + a);
        }
        byte[] s = new byte[SOCKADDR_LEN];
        s[0] = (byte) AF_INET; // sa_family_t is little-endian on the platforms we run on
        s[2] = (byte) (a.getPort() >> 8);
        s[3] = (byte) a.getPort();
        System.arraycopy(ip.getAddress(), 0, s, 4, 4);
        return s;
    }

    static InetSocketAddress address(byte[] s) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(s, 4, 8)),
                    ((s[2] & 0xFF) << 8) | (s[3] & 0xFF));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            shutdown(fd, SHUT_RDWR); // wakes a thread blocked in recvfrom
            close(fd);
        }
    }
}
