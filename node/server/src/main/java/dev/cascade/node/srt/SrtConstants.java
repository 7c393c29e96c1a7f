package dev.cascade.node.srt;

/** Numeric constants from {@code srt.h} (libsrt 1.5). */
public final class SrtConstants {
    private SrtConstants() {}

    // SRT_SOCKOPT
    public static final int SRTO_SNDSYN = 1;
    public static final int SRTO_RCVSYN = 2;
    public static final int SRTO_SNDBUF = 5;
    public static final int SRTO_RCVBUF = 6;
    public static final int SRTO_LINGER = 7;
    public static final int SRTO_REUSEADDR = 15;
    public static final int SRTO_MAXBW = 16;
    public static final int SRTO_LATENCY = 23;
    public static final int SRTO_PASSPHRASE = 26;
    public static final int SRTO_TLPKTDROP = 31;
    public static final int SRTO_CONNTIMEO = 36;
    public static final int SRTO_RCVLATENCY = 43;
    public static final int SRTO_PEERLATENCY = 44;
    public static final int SRTO_STREAMID = 46;
    public static final int SRTO_PAYLOADSIZE = 49;
    public static final int SRTO_TRANSTYPE = 50;
    public static final int SRTO_PEERIDLETIMEO = 55;

    public static final int SRTT_LIVE = 0;

    // SRT_EPOLL_OPT
    public static final int SRT_EPOLL_IN = 0x1;
    public static final int SRT_EPOLL_OUT = 0x4;
    public static final int SRT_EPOLL_ERR = 0x8;

    // SRT_SOCKSTATUS
    public static final int SRTS_CONNECTING = 4;
    public static final int SRTS_CONNECTED = 5;
    public static final int SRTS_BROKEN = 6;

    // SRT_ERRNO (1000 * major + minor)
    public static final int SRT_ECONNREJ = 1002;
    public static final int SRT_ECONNLOST = 2001;
    public static final int SRT_ENOCONN = 2002;
    public static final int SRT_EINVSOCK = 5004;
    public static final int SRT_EASYNCFAIL = 6000;
    public static final int SRT_EASYNCSND = 6001;
    public static final int SRT_EASYNCRCV = 6002;
    public static final int SRT_ETIMEOUT = 6003;

    /** Live-mode payload that carries exactly seven 188-byte TS packets. */
    public static final int LIVE_PAYLOAD = 1316;
    /** Largest live-mode payload libsrt accepts (SRT_LIVE_MAX_PLSIZE). */
    public static final int LIVE_MAX_PAYLOAD = 1456;

    /** Reject codes from libsrt's internal range that matter to callers. */
    public static final int SRT_REJ_PEER = 2;
    public static final int SRT_REJ_TIMEOUT = 13;
}
