package dev.assetpipeline.gateway.web;

import java.beans.PropertyEditorSupport;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Ids in paths and queries are read strictly: the canonical 8-4-4-4-12 hexadecimal form and nothing
 * else. {@link UUID#fromString} also accepts short groups ("1-2-3-4-5") and reads them as another id,
 * which would answer 404 for what is a malformed request (400). A custom editor, because Spring falls
 * back to its lenient default editor when a conversion service's converter refuses a value.
 */
@ControllerAdvice
class StrictIds {

    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @InitBinder
    void strictUuids(WebDataBinder binder) {
        binder.registerCustomEditor(UUID.class, new PropertyEditorSupport() {
            @Override
            public void setAsText(String text) {
                if (!CANONICAL.matcher(text).matches()) {
                    throw new IllegalArgumentException("not a canonical UUID");
                }
                setValue(UUID.fromString(text));
            }
        });
    }
}
