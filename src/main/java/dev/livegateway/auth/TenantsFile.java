package dev.livegateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the tenants file (YAML, or JSON which is YAML too):
 *
 * <pre>
 * tenants:
 *   team-a:
 *     key-hashes:
 *       - sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * admin-key-hashes:
 *   - sha256:...
 * </pre>
 *
 * Strict: unknown fields and malformed hashes are errors naming where they are, so that a typo
 * cannot silently lock a tenant out.
 */
final class TenantsFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TenantsFile() {}

    static Keyring parse(byte[] content, String fileName) {
        JsonNode root;
        try {
            root = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(fileName + " is not valid YAML or JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(fileName + " cannot be parsed: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Keyring.EMPTY;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(fileName + " must be a mapping with 'tenants' and/or 'admin-key-hashes'");
        }
        onlyFields(root, Set.of("tenants", "admin-key-hashes"), fileName);
        List<Keyring.Entry> entries = new ArrayList<>();
        JsonNode tenants = root.path("tenants");
        if (!tenants.isMissingNode() && !tenants.isNull()) {
            if (!tenants.isObject()) {
                throw new IllegalArgumentException(fileName + ": 'tenants' must map tenant ids to {key-hashes: [...]}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = tenants.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> tenant = it.next();
                String where = fileName + ": tenants." + tenant.getKey();
                Principal principal = new Principal(new Tenant(TenantIds.check(tenant.getKey(), where)));
                onlyFields(tenant.getValue(), Set.of("key-hashes"), where);
                for (String hash : strings(tenant.getValue().path("key-hashes"), where + ".key-hashes")) {
                    entries.add(new Keyring.Entry(KeyHashes.parse(hash, where + ".key-hashes"), principal, where));
                }
            }
        }
        String adminWhere = fileName + ": admin-key-hashes";
        for (String hash : strings(root.path("admin-key-hashes"), adminWhere)) {
            entries.add(new Keyring.Entry(KeyHashes.parse(hash, adminWhere), Principal.ADMIN, adminWhere));
        }
        return Keyring.of(entries);
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a mapping with " + allowed);
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field '" + name + "'; allowed: " + allowed);
            }
        });
    }

    private static List<String> strings(JsonNode node, String where) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + " must be a list of sha256:<hex> strings");
        }
        List<String> values = new ArrayList<>();
        node.forEach(item -> {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(where + " must be a list of sha256:<hex> strings");
            }
            values.add(item.asText());
        });
        return values;
    }
}
