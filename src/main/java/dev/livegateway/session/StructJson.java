package dev.livegateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Iterator;
import java.util.Map;

/** Converts between protobuf {@link Struct} (the gRPC side) and Jackson trees (the Live API side). */
public final class StructJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StructJson() {}

    public static ObjectNode toJson(Struct struct) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
            node.set(field.getKey(), toJson(field.getValue()));
        }
        return node;
    }

    public static JsonNode toJson(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> NODES.nullNode();
            case NUMBER_VALUE -> numberNode(value.getNumberValue());
            case STRING_VALUE -> NODES.textNode(value.getStringValue());
            case BOOL_VALUE -> NODES.booleanNode(value.getBoolValue());
            case STRUCT_VALUE -> toJson(value.getStructValue());
            case LIST_VALUE -> {
                ArrayNode array = NODES.arrayNode();
                for (Value item : value.getListValue().getValuesList()) {
                    array.add(toJson(item));
                }
                yield array;
            }
        };
    }

    /** Whole numbers stay integers in JSON ({@code 3}, not {@code 3.0}), as callers wrote them. */
    private static JsonNode numberNode(double number) {
        if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 9.007199254740992E15) {
            return NODES.numberNode((long) number);
        }
        return NODES.numberNode(number);
    }

    /** A JSON object as a Struct; anything else is wrapped as {@code {"value": ...}}. */
    public static Struct toStruct(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Struct.getDefaultInstance();
        }
        if (!node.isObject()) {
            return Struct.newBuilder().putFields("value", toValue(node)).build();
        }
        Struct.Builder struct = Struct.newBuilder();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            struct.putFields(field.getKey(), toValue(field.getValue()));
        }
        return struct.build();
    }

    public static Value toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (node.isObject()) {
            return Value.newBuilder().setStructValue(toStruct(node)).build();
        }
        if (node.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            for (JsonNode item : node) {
                list.addValues(toValue(item));
            }
            return Value.newBuilder().setListValue(list).build();
        }
        if (node.isBoolean()) {
            return Value.newBuilder().setBoolValue(node.booleanValue()).build();
        }
        if (node.isNumber()) {
            return Value.newBuilder().setNumberValue(node.doubleValue()).build();
        }
        return Value.newBuilder().setStringValue(node.asText()).build();
    }
}
