package dev.assetpipeline.gateway.upload;

import java.math.BigDecimal;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * A JSON integer as JSON Schema defines one: {@code 12} and {@code 12.0} are the same whole number;
 * {@code 12.5}, {@code "12"} and {@code true} are not numbers of bytes at all.
 */
class WholeNumber extends ValueDeserializer<Long> {

    @Override
    public Long deserialize(JsonParser parser, DeserializationContext context) {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal value = parser.getDecimalValue();
            try {
                return value.longValueExact();
            } catch (ArithmeticException e) {
                return (Long) context.handleWeirdNumberValue(Long.class, value, "not a whole number of bytes");
            }
        }
        return (Long) context.handleUnexpectedToken(Long.class, parser);
    }
}
