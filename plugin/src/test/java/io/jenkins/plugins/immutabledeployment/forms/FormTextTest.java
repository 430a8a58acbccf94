package io.jenkins.plugins.immutabledeployment.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormTextTest {

    @Test
    void weightsTextRoundTrips() {
        assertEquals(List.of(10, 50, 100), FormText.weights("weights", " 10,50 , 100 "));
        assertEquals("10, 50, 100", FormText.weightsText(List.of(10, 50, 100)));
        assertNull(FormText.weights("weights", "  "));
        assertEquals("", FormText.weightsText(null));
    }

    @Test
    void refusesWeightsThatAreNotNumbersNamingTheField() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FormText.weights("weights", "10, half"));
        assertEquals("weights", e.field());
    }

    @Test
    void jsonListsAndMapsKeepTheirOrder() {
        List<Map<String, Object>> steps = FormText.mapList("steps", "[{\"setWeight\": 10}, {\"pause\": \"2m\"}]");
        assertEquals(List.of(Map.of("setWeight", 10), Map.of("pause", "2m")), steps);
        assertEquals("[{\"setWeight\":10},{\"pause\":\"2m\"}]", FormText.json(steps));
        Map<String, Object> analysis = FormText.map("analysis", "{\"b\": 1, \"a\": {\"q\": \"up\"}}");
        assertEquals(List.of("b", "a"), List.copyOf(analysis.keySet()));
    }

    @Test
    void refusesJsonOfTheWrongShape() {
        assertEquals("steps", assertThrows(InvalidInputException.class, () -> FormText.mapList("steps", "{\"a\": 1}")).field());
        assertEquals("analysis", assertThrows(InvalidInputException.class, () -> FormText.map("analysis", "[1]")).field());
    }
}
