package dev.assetpipeline.common.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SequencerTest {

    @ParameterizedTest(name = "{0} is newer than {1}")
    @CsvSource({
            "0055AED6DCD90281E6, 0055AED6DCD90281E5",
            "0055AED6DCD90281E5, 0055AED6DCD90281E4FF",
            // right-padding: the shorter value gains zeros on the right before comparing
            "0055AED6DCD90281E501, 0055AED6DCD90281E5",
            "0A, 09FFFFFFFF",
            "B, A"})
    void laterSequencerIsNewer(String newer, String older) {
        assertThat(Sequencer.parse(newer).isNewerThan(Sequencer.parse(older))).isTrue();
        assertThat(Sequencer.parse(older).isNewerThan(Sequencer.parse(newer))).isFalse();
    }

    @Test
    void sameSequencerIsADuplicateNotNewer() {
        Sequencer a = Sequencer.parse("0055AED6DCD90281E5");
        Sequencer b = Sequencer.parse("0055aed6dcd90281e5");

        assertThat(a).isEqualTo(b);
        assertThat(a.isNewerThan(b)).isFalse();
    }

    @Test
    void trailingZerosDoNotMakeAValueNewer() {
        assertThat(Sequencer.parse("0055AED6DCD90281E500")).isEqualTo(Sequencer.parse("0055AED6DCD90281E5"));
    }

    @Test
    void normalizedFormOrdersAsAPlainStringComparisonWould() {
        String newer = Sequencer.parse("0A").value();
        String older = Sequencer.parse("09FFFFFFFF").value();

        assertThat(newer).hasSize(Sequencer.WIDTH);
        assertThat(newer.compareTo(older)).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "XYZ", "12 34", "0x12"})
    void rejectsValuesThatAreNotHex(String raw) {
        assertThatThrownBy(() -> Sequencer.parse(raw)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsValuesLongerThanItCanOrder() {
        assertThatThrownBy(() -> Sequencer.parse("F".repeat(Sequencer.WIDTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
