package dev.cascade.node.srt;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libsrt 1.5 calls Cascade uses, bound with JNA direct mapping (much cheaper per call than
 * interface mapping). Buffers on the per-packet calls ({@link #srt_recvmsg2}, {@link #srt_sendmsg2},
 * {@link #srt_epoll_uwait}) are passed as raw addresses in a {@code long}: on x86-64 and aarch64 a
 * pointer and an int64 travel in the same register, and it lets the hot path pass an offset into a
 * direct buffer without allocating a {@link Pointer} per packet.
 *
 * <p>Signatures follow {@code /usr/include/srt/srt.h} of libsrt 1.5.1 ({@code SRTSOCKET} is an int).
 */
final class SrtNative {
    static final String LIBRARY = "libsrt.so.1.5";

    static {
        Native.register(SrtNative.class, NativeLibrary.getInstance(LIBRARY));
    }

    private SrtNative() {}

    /** {@code srt_listen_callback_fn}: runs on libsrt's receive thread during the handshake. */
    interface ListenCallback extends Callback {
        int invoke(Pointer opaque, int ns, int hsVersion, Pointer peerAddr, String streamId);
    }

    static native int srt_startup();

    static native int srt_cleanup();

    static native int srt_create_socket();

    static native int srt_bind(int u, byte[] name, int namelen);

    static native int srt_listen(int u, int backlog);

    static native int srt_accept(int u, byte[] addr, int[] addrlen);

    static native int srt_listen_callback(int lsn, ListenCallback hook, Pointer opaque);

    static native int srt_connect(int u, byte[] name, int namelen);

    static native int srt_close(int u);

    static native int srt_getpeername(int u, byte[] name, int[] namelen);

    static native int srt_setsockflag(int u, int opt, byte[] optval, int optlen);

    static native int srt_getsockflag(int u, int opt, byte[] optval, int[] optlen);

    static native int srt_sendmsg2(int u, long buf, int len, Pointer mctrl);

    static native int srt_recvmsg2(int u, long buf, int len, Pointer mctrl);

    static native int srt_getlasterror(Pointer errnoLoc);

    static native String srt_getlasterror_str();

    static native void srt_clearlasterror();

    static native int srt_bstats(int u, long perf, int clear);

    static native int srt_getsockstate(int u);

    static native int srt_epoll_create();

    static native int srt_epoll_add_usock(int eid, int u, int[] events);

    static native int srt_epoll_update_usock(int eid, int u, int[] events);

    static native int srt_epoll_remove_usock(int eid, int u);

    static native int srt_epoll_uwait(int eid, long fdsSet, int fdsSize, long msTimeOut);

    static native int srt_epoll_release(int eid);

    static native int srt_epoll_set(int eid, int flags);

    static native void srt_setloglevel(int ll);

    static native int srt_getrejectreason(int u);

    static native int srt_setrejectreason(int u, int value);

    static native String srt_rejectreason_str(int id);
}
