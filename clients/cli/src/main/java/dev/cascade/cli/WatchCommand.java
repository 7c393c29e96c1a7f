package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cascadectl watch live/NAME}: which edge to watch from, and its WHEP, player and SRT URLs. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Where to watch a stream: the edge the manager places this viewer on, with the WHEP, "
                + "player and SRT URLs."},
        footerHeading = "%nExamples:%n",
        footer = {"  cascadectl watch live/match1",
                "  xdg-open \"$(cascadectl watch live/match1 --player --region eu-west)\"",
                "  ffplay \"$(cascadectl watch live/match1 --srt)\""})
final class WatchCommand extends PlacementCommand {

    @ArgGroup(exclusive = true)
    Only only;

    static final class Only {
        @Option(names = "--whep", description = "Print only the WHEP URL.")
        boolean whep;

        @Option(names = "--player", description = "Print only the player page's URL.")
        boolean player;

        @Option(names = "--srt", description = "Print only the SRT URL.")
        boolean srt;
    }

    @Override
    public Integer call() {
        JsonNode placement = place("subscribe");
        if (only != null && only.whep) {
            printUrl(placement, "whepUrl");
        } else if (only != null && only.player) {
            printUrl(placement, "playerUrl");
        } else if (only != null && only.srt) {
            printUrl(placement, "srtUrl");
        } else {
            print(placement, "whepUrl", "playerUrl", "srtUrl");
        }
        return 0;
    }
}
