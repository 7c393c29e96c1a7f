package dev.cascade.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event-stream parser, the reconnect event's URL, and the Link header that announces the events. */
class ServerSentEventsTest {
    private static List<ServerSentEvents.Event> parse(String text) {
        List<ServerSentEvents.Event> out = new ArrayList<>();
        ServerSentEvents p = new ServerSentEvents(out::add);
        for (String line : text.split("\n", -1)) {
            p.line(line);
        }
        return out;
    }

    @Test
    void eventsAreDispatchedAtBlankLinesCommentsAndUnknownFieldsIgnored() {
        List<ServerSentEvents.Event> events = parse(": cascade live/x\n\n"
                + "event: reconnect\ndata: {\"url\":\"http://10.0.0.9:8180/whep/live/x\"}\n\n"
                + ": keep-alive\n\n"
                + "id: 7\nretry: 2000\nevent:viewercount\ndata:{\"viewercount\":3}\n\n"
                + "data: first\ndata: second\n\n"
                + "event: no-data\n\n"
                + "event: cut-short\ndata: never dispatched");
        assertThat(events).containsExactly(
                new ServerSentEvents.Event("reconnect", "{\"url\":\"http://10.0.0.9:8180/whep/live/x\"}"),
                new ServerSentEvents.Event("viewercount", "{\"viewercount\":3}"),
                new ServerSentEvents.Event("message", "first\nsecond"));
    }

    @Test
    void theReconnectUrlIsReadFromTheEventData() {
        assertThat(ServerSentEvents.reconnectUrl("{\"url\":\"http://10.0.0.9:8180/whep/live/x\"}"))
                .isEqualTo("http://10.0.0.9:8180/whep/live/x");
        assertThat(ServerSentEvents.reconnectUrl("{ \"other\": 1, \"url\" : \"https:\\/\\/e.example\\/whep\\/a\\u0062\" }"))
                .isEqualTo("https://e.example/whep/ab");
        assertThat(ServerSentEvents.reconnectUrl("{}")).isNull();
    }

    @Test
    void theEventsLinkIsFoundAmongOthers() {
        Map<String, String> links = WhepSignaling.links(List.of(
                "<stun:stun.example.net>; rel=\"ice-server\", </whep/live/x/abc/sse>; "
                        + "rel=\"urn:ietf:params:whep:ext:core:server-sent-events\"; events=\"reconnect,viewercount\"",
                "</whep/live/x/abc/layer>; rel=urn:ietf:params:whep:ext:core:layer"));
        assertThat(links).containsEntry(WhepSignaling.EVENTS_REL, "/whep/live/x/abc/sse")
                .containsEntry("ice-server", "stun:stun.example.net")
                .containsEntry("urn:ietf:params:whep:ext:core:layer", "/whep/live/x/abc/layer");
        assertThat(WhepSignaling.links(List.of())).isEmpty();
    }

    @Test
    void anIdrStartIsFoundInEachH264Packetization() {
        byte[] header = {(byte) 0x80, (byte) 0xE6, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9};
        assertThat(WebRtcPeer.startsIdr(concat(header, new byte[] {0x65, 1, 2}), 15)).as("single NAL IDR").isTrue();
        assertThat(WebRtcPeer.startsIdr(concat(header, new byte[] {0x41, 1, 2}), 15)).as("non-IDR slice").isFalse();
        assertThat(WebRtcPeer.startsIdr(concat(header, new byte[] {0x7C, (byte) 0x85, 1}), 15)).as("FU-A start, IDR").isTrue();
        assertThat(WebRtcPeer.startsIdr(concat(header, new byte[] {0x7C, 0x05, 1}), 15)).as("FU-A middle").isFalse();
        byte[] stap = {0x78, 0, 2, 0x67, 1, 0, 2, 0x68, 2, 0, 2, 0x65, 3};
        assertThat(WebRtcPeer.startsIdr(concat(header, stap), 12 + stap.length)).as("STAP-A with SPS, PPS, IDR").isTrue();
        byte[] withExtension = concat(new byte[] {(byte) 0x90, (byte) 0xE6, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9,
                (byte) 0xBE, (byte) 0xDE, 0, 1, 0x32, 1, 2, 3}, new byte[] {0x65, 1});
        assertThat(WebRtcPeer.startsIdr(withExtension, withExtension.length)).as("after a header extension").isTrue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
