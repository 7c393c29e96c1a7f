package dev.cascade.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The STREAM argument against the contract's {app}/{name} patterns, as a table. */
class StreamKeyTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            live/match1            | /streams/live/match1
            Live_2/a.b-c           | /streams/Live_2/a.b-c
            a/...                  | /streams/a/...
            """)
    void validKeysBecomeTheirPath(String text, String path) {
        assertThat(StreamKey.parse(text).path()).isEqualTo(path);
        assertThat(StreamKey.parse(text)).hasToString(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            match1           | 'match1' is not a stream: expected app/name, e.g. live/match1
            live/a/b         | 'live/a/b' is not a stream: expected app/name, e.g. live/match1
            /match1          | '' is not a stream app: 1-64 of A-Z a-z 0-9 _ . -
            live/            | '' is not a stream name: 1-64 of A-Z a-z 0-9 _ . -
            live/a%2Fb       | 'a%2Fb' is not a stream name: 1-64 of A-Z a-z 0-9 _ . -
            live/a?x=1       | 'a?x=1' is not a stream name: 1-64 of A-Z a-z 0-9 _ . -
            ./x              | '.' cannot be used as a stream app in a URL path
            live/..          | '..' cannot be used as a stream name in a URL path
            """)
    void invalidKeysSayWhatIsWrong(String text, String message) {
        assertThatThrownBy(() -> StreamKey.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            x                                                                 | true
            xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  | true
            xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx | false
            """)
    void aPartIsAtMost64Characters(String name, boolean valid) {
        assertThat(ResourceNames.ID.matcher(name).matches()).isEqualTo(valid);
    }
}
