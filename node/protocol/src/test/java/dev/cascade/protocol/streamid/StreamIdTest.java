package dev.cascade.protocol.streamid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.protocol.streamid.StreamId.Mode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StreamIdTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("#!::r=live/match1,m=publish", new StreamId("live", "match1", Mode.PUBLISH, null, null, null)),
                Arguments.of("#!::r=live/match1,m=request", new StreamId("live", "match1", Mode.REQUEST, null, null, null)),
                Arguments.of("#!::m=publish,r=live/a", new StreamId("live", "a", Mode.PUBLISH, null, null, null)),
                Arguments.of("#!::r=live/match1", new StreamId("live", "match1", Mode.REQUEST, null, null, null)),
                Arguments.of("live/match1", new StreamId("live", "match1", Mode.REQUEST, null, null, null)),
                Arguments.of("#!::r=live/match1_2,m=request,t=abc.def,hop=edge",
                        new StreamId("live", "match1_2", Mode.REQUEST, "abc.def", null, "edge")),
                Arguments.of("#!::u=bob,r=app/x-y.z,m=publish,s=123,h=host",
                        new StreamId("app", "x-y.z", Mode.PUBLISH, null, "bob", null)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void parsesValidIds(String raw, StreamId expected) {
        assertThat(StreamId.parse(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("valid")
    void encodeRoundTrips(String raw, StreamId expected) {
        assertThat(StreamId.parse(expected.encode())).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", 1400, "bad_streamid"),
                Arguments.of("#!::", 1400, "bad_streamid"),
                Arguments.of("#!::m=publish", 1400, "bad_streamid"),
                Arguments.of("#!::r=live", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a/b", 1400, "bad_streamid"),
                Arguments.of("#!::r=/a", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a b", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/.hidden", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a,r=live/b", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a,m=publish,m=request", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a,,m=publish", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a,m", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a,t=", 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a,m=play", 1405, "bad_mode"),
                Arguments.of("#!::r=live/a,mode=publish", 1001, "unsupported_key"),
                Arguments.of("live/" + "x".repeat(65), 1400, "bad_streamid"),
                Arguments.of("#!::r=live/a,u=" + "x".repeat(600), 1400, "bad_streamid"),
                Arguments.of("\u0000\u00ff\u0001", 1400, "bad_streamid"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void rejectsWithSpecificCode(String raw, int code, String reason) {
        assertThatThrownBy(() -> StreamId.parse(raw))
                .isInstanceOfSatisfying(StreamIdParseException.class, e -> {
                    assertThat(e.rejectCode()).isEqualTo(code);
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @net.jqwik.api.Property(tries = 2000)
    void arbitraryStringsRaiseOnlyTheParseException(@net.jqwik.api.ForAll String raw) {
        try {
            StreamId id = StreamId.parse(raw);
            assertThat(StreamId.parse(id.encode())).isEqualTo(id);
        } catch (StreamIdParseException expected) {
            assertThat(expected.rejectCode()).isIn(1400, 1001, 1405);
        }
    }
}
