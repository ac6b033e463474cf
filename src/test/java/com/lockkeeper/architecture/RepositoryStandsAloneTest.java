package com.lockkeeper.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A user's clone is all there is: no file of the repository (code, tests, docs, scripts, CI) may
 * point outside it, or speak of how the project was planned instead of the product itself.
 */
class RepositoryStandsAloneTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".idea");
    private static final Path THIS_FILE =
            Path.of("src/test/java/com/lockkeeper/architecture/RepositoryStandsAloneTest.java");
    /**
     * Released migrations are frozen: Flyway checksums every script, comments included, so editing
     * an old comment would make every existing installation refuse to start. New ones are checked.
     */
    private static final Set<Path> FROZEN_MIGRATIONS = Set.of(
            Path.of("src/main/resources/db/migration/common/V1__foundation.sql"),
            Path.of("src/main/resources/db/migration/common/V20__lifecycle.sql"));

    /** The two words this test forbids in paths and prose, spelled in parts so this file holds neither. */
    private static final String SHARED = "sha" + "red";
    private static final String SEED = "se" + "ed";

    /** What must never appear: a path out of the repository, or the vocabulary of project planning. */
    static final Pattern FORBIDDEN = Pattern.compile(String.join("|",
            "\\.\\./" + SHARED,
            "\\b" + SHARED + "/(design|vectors|" + SEED + "s|peers|hooks)\\b",
            "\\bthe " + SEED + "s?\\b(?!ed)",
            "\\b" + SEED + "'s\\b",
            "\\b" + SEED + " documents?\\b",
            "\\bissue #?\\d+",
            "\\b(this|that|a later|the (lifecycle|device|trust|helpdesk|analysis|migration|identity|operations|"
                    + "performance|benchmark|architecture|clean-clone)) issue\\b",
            "\\bdesign notes?\\b"),
            Pattern.CASE_INSENSITIVE);

    @Test
    void noFileRefersOutsideTheRepositoryOrToHowItWasPlanned() throws IOException {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(Files::isRegularFile)
                    .filter(RepositoryStandsAloneTest::inRepository)
                    .forEach(file -> scan(file, hits));
        }
        assertThat(hits).as("references to material outside the repository or to project planning").isEmpty();
    }

    @Test
    void thePatternCatchesWhatItMeansToAndSparesOrdinaryWords() {
        assertThat(FORBIDDEN.matcher("see ../" + SHARED + "/design/api.md").find()).isTrue();
        assertThat(FORBIDDEN.matcher("The " + SEED + "'s recovery procedure").find()).isTrue();
        assertThat(FORBIDDEN.matcher("Key lifecycle (issue 5)").find()).isTrue();
        assertThat(FORBIDDEN.matcher("belongs to the device issue").find()).isTrue();
        assertThat(FORBIDDEN.matcher("started again on the seeded database; the seeder").find()).isFalse();
        assertThat(FORBIDDEN.matcher("the BitLocker recovery process; issued tokens").find()).isFalse();
    }

    private static boolean inRepository(Path file) {
        Path relative = ROOT.relativize(file);
        for (Path part : relative) {
            if (SKIPPED_DIRECTORIES.contains(part.toString())) {
                return false;
            }
        }
        return !relative.equals(THIS_FILE) && !FROZEN_MIGRATIONS.contains(relative);
    }

    private static void scan(Path file, List<String> hits) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException binary) {
            return; // screenshots and other binary files
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FORBIDDEN.matcher(lines.get(i));
            if (m.find()) {
                hits.add(ROOT.relativize(file) + ":" + (i + 1) + ": \"" + m.group() + "\"");
            }
        }
    }
}
