package io.switchboard.core.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import com.networknt.schema.resource.DisallowSchemaLoader;
import io.switchboard.core.api.ProblemException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema for configuration keys (networknt json-schema-validator, draft 2020-12 by default).
 * Schemas come from app developers, so they may only refer to themselves: a {@code $ref} that is
 * not a local fragment, or a root {@code $schema} that is not a standard draft, is refused before
 * compiling. And the library never touches the network whatever a schema says (a nested
 * {@code $schema} is not caught by the check above): the standard meta-schemas come from its own
 * jar, and every other IRI is refused by its {@code DisallowSchemaLoader}, before the library's
 * URL fetcher could run (no connection, no wait, no port-scanning oracle).
 */
final class Schemas {
    private static final Set<String> DRAFTS = Set.of(
            "https://json-schema.org/draft/2020-12/schema",
            "https://json-schema.org/draft/2019-09/schema",
            "http://json-schema.org/draft-07/schema#",
            "http://json-schema.org/draft-07/schema");
    private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.values(list -> {
                list.clear();
                list.add(new ClasspathSchemaLoader()); // the standard meta-schemas, mapped to the library's own resources
                list.add(DisallowSchemaLoader.getInstance()); // everything else: refused, never fetched
            })));

    private static final List<JsonNode> PROBES = List.of(JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.arrayNode(),
            JsonNodeFactory.instance.textNode(""), JsonNodeFactory.instance.numberNode(0), JsonNodeFactory.instance.booleanNode(true),
            JsonNodeFactory.instance.nullNode());

    private Schemas() {}

    /** Compiles a schema or answers 400. */
    static JsonSchema compile(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            throw invalid("a JSON Schema is a JSON object");
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !DRAFTS.contains(dialect.asText())) {
            throw invalid("$schema must be a standard draft (2020-12, 2019-09 or 07)");
        }
        checkReferences(schema, "$");
        JsonSchema compiled;
        try {
            compiled = FACTORY.getSchema(schema);
            compiled.initializeValidators();
        } catch (RuntimeException | StackOverflowError e) {
            throw invalid("the schema cannot be compiled");
        }
        // A schema that refers to itself without descending into the document ({"$ref":"#"}, or
        // through anyOf/allOf) never ends: evaluate it once on a value of every JSON type.
        for (JsonNode probe : PROBES) {
            try {
                compiled.validate(probe);
            } catch (RuntimeException | StackOverflowError e) {
                throw invalid("the schema cannot be evaluated (a reference loops without descending into the document)");
            }
        }
        return compiled;
    }

    /**
     * Validates a document and answers 422 listing every failing path, or 409 {@code schema-unusable}
     * when the schema cannot be evaluated for this document (a loop the checks on saving did not reach).
     */
    static void validate(JsonSchema schema, JsonNode document, String key) {
        Set<ValidationMessage> messages;
        try {
            messages = schema.validate(document);
        } catch (RuntimeException | StackOverflowError e) {
            throw new ProblemException(409, "schema-unusable", "Schema cannot be evaluated",
                    "the app's schema for '" + key + "' cannot be evaluated for this document; replace the schema");
        }
        if (messages.isEmpty()) {
            return;
        }
        List<Map<String, String>> errors = new ArrayList<>();
        for (ValidationMessage m : messages) {
            Map<String, String> error = new LinkedHashMap<>();
            error.put("path", String.valueOf(m.getInstanceLocation()));
            error.put("message", m.getMessage());
            errors.add(error);
        }
        throw new ProblemException(422, "schema-violation", "Schema violation",
                "the document for '" + key + "' does not satisfy the app's schema (" + errors.size() + " error(s))",
                Map.of("errors", errors));
    }

    private static void checkReferences(JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (REFERENCES.contains(e.getKey()) && !e.getValue().asText().startsWith("#")) {
                    throw invalid(path + "." + e.getKey() + ": only local references (#...) are allowed");
                }
                checkReferences(e.getValue(), path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkReferences(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "validation", "Invalid schema", detail);
    }
}
