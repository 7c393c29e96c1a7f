package dev.cascade.node.egress.whep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The event list a player POSTs (draft-ietf-wish-whep-02 section 4.9.1), and the frames we write. */
class WhepEventsTest {
    @Test
    void aJsonArrayOfEventTypesIsTheSubscription() throws Exception {
        assertThat(WhepEvents.parseEventList("[\"reconnect\",\"viewercount\"]")).containsExactly("reconnect", "viewercount");
        assertThat(WhepEvents.parseEventList("[\"reconnect\"]")).containsExactly("reconnect");
        assertThat(WhepEvents.parseEventList("[]")).isEmpty();
        // The draft's other types are taken and never sent, so a player asking for the whole list works.
        assertThat(WhepEvents.parseEventList("[\"active\",\"inactive\",\"layers\",\"reconnect\",\"viewercount\",\"scte35\"]"))
                .contains("reconnect", "viewercount", "layers");
        assertThat(WhepEvents.parseEventList(" [ \"reconnect\" , \"reconnect\" ] ")).containsExactly("reconnect");
    }

    @Test
    void noBodyAsksForEverythingWeSend() throws Exception {
        assertThat(WhepEvents.parseEventList("")).isEqualTo(Set.of("reconnect", "viewercount", "variant"));
        assertThat(WhepEvents.parseEventList(null)).isEqualTo(WhepEvents.SENT);
    }

    @Test
    void anythingElseIsABadEventListNamingWhatIsWrong() {
        assertThatThrownBy(() -> WhepEvents.parseEventList("reconnect")).isInstanceOf(WhepEvents.BadEventList.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> WhepEvents.parseEventList("{\"events\":[\"reconnect\"]}"))
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> WhepEvents.parseEventList("[\"reconnect\", 7]")).hasMessageContaining("entry 1");
        assertThatThrownBy(() -> WhepEvents.parseEventList("[\"\"]")).hasMessageContaining("entry 0");
        assertThatThrownBy(() -> WhepEvents.parseEventList("[" + "\"a\",".repeat(16) + "\"b\"]")).hasMessageContaining("at most 16");
        assertThatThrownBy(() -> WhepEvents.parseEventList("[\"reconnect\"")).hasMessageContaining("not JSON");
    }

    @Test
    void theLinkAndTheReconnectDataAreWhatThePlayerReads() {
        assertThat(WhepEvents.link("/whep/live/x/abc")).isEqualTo(
                "</whep/live/x/abc/sse>; rel=\"urn:ietf:params:whep:ext:core:server-sent-events\"; events=\"reconnect,viewercount,variant\"");
        assertThat(WhepEvents.reconnectData("http://10.0.0.9:8180/whep/live/x"))
                .isEqualTo("{\"url\":\"http://10.0.0.9:8180/whep/live/x\"}");
    }
}
