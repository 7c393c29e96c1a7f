package dev.cascade.node.srt;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Thin, allocation-aware helpers over {@link SrtNative}: socket setup, options, addresses and the
 * two per-packet calls. Sockets are plain ints, as in libsrt; ownership lives with the caller.
 */
public final class Srt {
    private static volatile boolean started;

    private Srt() {}

    /** Loads libsrt and runs {@code srt_startup} once per process. */
    public static synchronized void startup() {
        if (!started) {
            if (SrtNative.srt_startup() < 0) {
                throw SrtException.last("srt_startup");
            }
            // libsrt logs to stderr by default, including "no pending connection" on every drained
            // non-blocking accept; keep only critical messages (LOG_CRIT = 2).
            SrtNative.srt_setloglevel(2);
            started = true;
        }
    }

    public static int createSocket() {
        int s = SrtNative.srt_create_socket();
        if (s < 0) {
            throw SrtException.last("srt_create_socket");
        }
        return s;
    }

    public static void setInt(int socket, int option, int value) {
        byte[] v = new byte[4];
        ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder()).putInt(value);
        if (SrtNative.srt_setsockflag(socket, option, v, 4) != 0) {
            throw SrtException.last("srt_setsockflag(" + option + "=" + value + ")");
        }
    }

    public static void setLong(int socket, int option, long value) {
        byte[] v = new byte[8];
        ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder()).putLong(value);
        if (SrtNative.srt_setsockflag(socket, option, v, 8) != 0) {
            throw SrtException.last("srt_setsockflag(" + option + "=" + value + ")");
        }
    }

    public static void setString(int socket, int option, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        if (SrtNative.srt_setsockflag(socket, option, v, v.length) != 0) {
            throw SrtException.last("srt_setsockflag(" + option + ")");
        }
    }

    public static String getString(int socket, int option) {
        byte[] v = new byte[513];
        int[] len = {v.length};
        if (SrtNative.srt_getsockflag(socket, option, v, len) != 0) {
            throw SrtException.last("srt_getsockflag(" + option + ")");
        }
        return new String(v, 0, Math.max(0, Math.min(len[0], v.length)), StandardCharsets.UTF_8);
    }

    public static int getInt(int socket, int option) {
        byte[] v = new byte[8];
        int[] len = {v.length};
        if (SrtNative.srt_getsockflag(socket, option, v, len) != 0) {
            throw SrtException.last("srt_getsockflag(" + option + ")");
        }
        return ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder()).getInt(0);
    }

    /** Live mode, non-blocking both ways: the settings every Cascade socket starts from. */
    public static void configureLive(int socket, int latencyMs, int peerIdleTimeoutMs) {
        setInt(socket, SrtConstants.SRTO_TRANSTYPE, SrtConstants.SRTT_LIVE);
        setInt(socket, SrtConstants.SRTO_RCVSYN, 0);
        setInt(socket, SrtConstants.SRTO_SNDSYN, 0);
        setInt(socket, SrtConstants.SRTO_LATENCY, latencyMs);
        setInt(socket, SrtConstants.SRTO_PEERIDLETIMEO, peerIdleTimeoutMs);
        // struct linger {l_onoff = 0, l_linger = 0}: live data that is not sent by close time is
        // worthless, and a lingering close would hold the loop thread (and shutdown) hostage.
        if (SrtNative.srt_setsockflag(socket, SrtConstants.SRTO_LINGER, new byte[8], 8) != 0) {
            throw SrtException.last("srt_setsockflag(SRTO_LINGER)");
        }
    }

    public static void bind(int socket, InetSocketAddress address) {
        byte[] sa = sockaddr(address);
        if (SrtNative.srt_bind(socket, sa, sa.length) != 0) {
            throw SrtException.last("srt_bind(" + address + ")");
        }
    }

    public static void listen(int socket, int backlog) {
        if (SrtNative.srt_listen(socket, backlog) != 0) {
            throw SrtException.last("srt_listen");
        }
    }

    /** Starts a connect; with SRTO_RCVSYN off it returns at once and epoll reports OUT or ERR. */
    public static void connect(int socket, InetSocketAddress address) {
        byte[] sa = sockaddr(address);
        if (SrtNative.srt_connect(socket, sa, sa.length) < 0) {
            int reject = SrtNative.srt_getrejectreason(socket);
            int code = SrtNative.srt_getlasterror(null);
            throw new SrtException("srt_connect(" + address + ") failed: " + SrtNative.srt_getlasterror_str()
                    + " (" + code + ", reject " + reject + ")", code, reject);
        }
    }

    /** Accepts one pending connection, or returns -1 when none is pending (non-blocking listener). */
    public static int accept(int listener) {
        int s = SrtNative.srt_accept(listener, null, null);
        if (s < 0) {
            int code = SrtNative.srt_getlasterror(null);
            if (code == SrtConstants.SRT_EASYNCRCV) {
                return -1;
            }
            throw SrtException.last("srt_accept");
        }
        return s;
    }

    public static void close(int socket) {
        SrtNative.srt_close(socket);
    }

    /**
     * Receives one message into native memory at {@code address}; returns its length, 0 when nothing
     * is ready (non-blocking, or a blocking socket's SRTO_RCVTIMEO expired), or -1 when the
     * connection is gone.
     */
    public static int recv(int socket, long address, int capacity) {
        int n = SrtNative.srt_recvmsg2(socket, address, capacity, null);
        if (n >= 0) {
            return n;
        }
        int code = SrtNative.srt_getlasterror(null);
        return code == SrtConstants.SRT_EASYNCRCV || code == SrtConstants.SRT_ETIMEOUT ? 0 : -1;
    }

    /**
     * Sends one message from native memory; returns the length sent, 0 when libsrt's send buffer is
     * full (the caller drops and counts), or -1 when the connection is gone.
     */
    public static int send(int socket, long address, int length) {
        int n = SrtNative.srt_sendmsg2(socket, address, length, null);
        if (n >= 0) {
            return n;
        }
        int code = SrtNative.srt_getlasterror(null);
        return code == SrtConstants.SRT_EASYNCSND || code == SrtConstants.SRT_EASYNCFAIL ? 0 : -1;
    }

    public static int state(int socket) {
        return SrtNative.srt_getsockstate(socket);
    }

    public static int rejectReason(int socket) {
        return SrtNative.srt_getrejectreason(socket);
    }

    public static void setRejectReason(int socket, int code) {
        SrtNative.srt_setrejectreason(socket, code);
    }

    public static String rejectReasonText(int code) {
        return code >= 1000 ? "application reject " + code : SrtNative.srt_rejectreason_str(code);
    }

    /** Address of a direct buffer's first byte, for the pointer-as-long calls. */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("buffer must be direct");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    public static InetSocketAddress peerAddress(int socket) {
        byte[] sa = new byte[128];
        int[] len = {sa.length};
        if (SrtNative.srt_getpeername(socket, sa, len) != 0) {
            return null;
        }
        return fromSockaddr(sa);
    }

    /** Reads a {@code struct sockaddr_in} (IPv4 only; other families give null). */
    static InetSocketAddress fromSockaddr(byte[] sa) {
        int family = (sa[0] & 0xFF) | ((sa[1] & 0xFF) << 8);
        if (family != 2) {
            return null;
        }
        int port = ((sa[2] & 0xFF) << 8) | (sa[3] & 0xFF);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {sa[4], sa[5], sa[6], sa[7]}), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static InetSocketAddress fromSockaddr(Pointer p) {
        return p == null ? null : fromSockaddr(p.getByteArray(0, 16));
    }

    /** Builds a {@code struct sockaddr_in}: family in host order, port and address in network order. */
    static byte[] sockaddr(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        if (!(ip instanceof Inet4Address)) {
            throw new IllegalArgumentException("only IPv4 addresses are supported yet: " + address);
        }
        byte[] sa = new byte[16];
        sa[0] = 2; // AF_INET, little-endian sa_family_t
        sa[2] = (byte) (address.getPort() >> 8);
        sa[3] = (byte) address.getPort();
        System.arraycopy(ip.getAddress(), 0, sa, 4, 4);
        return sa;
    }

    public static void setListenCallback(int listener, SrtNative.ListenCallback callback) {
        if (SrtNative.srt_listen_callback(listener, callback, null) != 0) {
            throw SrtException.last("srt_listen_callback");
        }
    }
}
