package dev.cascade.protocol.sdp;

/** A typed attribute that can be written back as its {@code a=} line. */
public interface SdpAttribute {
    SdpLine toLine();
}
