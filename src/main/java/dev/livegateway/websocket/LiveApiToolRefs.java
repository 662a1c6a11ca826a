package dev.livegateway.websocket;

import dev.livegateway.api.v1.SessionConfig;
import dev.livegateway.api.v1.ToolReference;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.wire.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry tools a WebSocket client names: those of the {@code x-live-gateway-tools} header
 * ({@code name[@version],…}) and the {@code functionDeclarations} of a setup's or context update's
 * {@code tools} (by name only; a description or schema sent with one is the client's copy and is
 * ignored). Inline hosted tools (Google Search, code execution, …) are refused, naming the field.
 */
final class LiveApiToolRefs {

    private static final Pattern TOOL_REF = Pattern.compile("([A-Za-z0-9_.:-]+)(?:@(\\d+))?");

    private LiveApiToolRefs() {}

    /** The registry tools of the {@code x-live-gateway-tools} header ({@code name[@version],…}); empty for none. */
    static List<ToolReference> headerTools(String header) {
        List<ToolReference> refs = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return refs;
        }
        for (String item : header.split(",")) {
            String ref = item.strip();
            if (ref.isEmpty()) {
                continue;
            }
            Matcher m = TOOL_REF.matcher(ref);
            if (!m.matches()) {
                throw new InvalidClientEventException(LiveApiFront.TOOLS_HEADER, "'" + ref + "' is not name[@version]"
                        + " (a registry tool's name, optionally @ and a version number)");
            }
            ToolReference.Builder b = ToolReference.newBuilder().setName(m.group(1));
            if (m.group(2) != null) {
                b.setVersion(Long.parseLong(m.group(2)));
            }
            refs.add(b.build());
        }
        return refs;
    }

    /**
     * Adds to {@code c} the registry tools {@code tools} declares (each name once); {@code where} is
     * the Live API field of the list, such as {@code setup.tools}.
     */
    static void addDeclared(List<Tool> tools, SessionConfig.Builder c, String where) {
        if (tools == null) {
            return;
        }
        for (int i = 0; i < tools.size(); i++) {
            Tool tool = tools.get(i);
            String field = where + "[" + i + "]";
            if (tool == null) {
                continue;
            }
            String hosted = hostedKind(tool);
            if (hosted != null) {
                throw new InvalidClientEventException(field + "." + hosted, "inline tools are not accepted: the"
                        + " gateway's tools come from its registry; name a registry entry in functionDeclarations"
                        + " or the " + LiveApiFront.TOOLS_HEADER + " header");
            }
            List<Tool.FunctionDeclaration> declarations = tool.functionDeclarations();
            if (declarations == null) {
                continue;
            }
            for (int j = 0; j < declarations.size(); j++) {
                Tool.FunctionDeclaration d = declarations.get(j);
                if (d == null || d.name() == null || d.name().isBlank()) {
                    throw new InvalidClientEventException(field + ".functionDeclarations[" + j + "].name",
                            "missing; name a registry tool");
                }
                String name = d.name().strip();
                if (c.getToolsList().stream().noneMatch(t -> t.getName().equals(name))) {
                    c.addTools(ToolReference.newBuilder().setName(name));
                }
            }
        }
    }

    private static String hostedKind(Tool t) {
        if (t.codeExecution() != null) return "codeExecution";
        if (t.googleSearch() != null) return "googleSearch";
        if (t.retrieval() != null) return "retrieval";
        if (t.urlContext() != null) return "urlContext";
        if (t.googleMaps() != null) return "googleMaps";
        if (t.enterpriseWebSearch() != null) return "enterpriseWebSearch";
        if (t.fileSearch() != null) return "fileSearch";
        if (t.computerUse() != null) return "computerUse";
        if (t.mcpServers() != null) return "mcpServers";
        if (t.googleSearchRetrieval() != null) return "googleSearchRetrieval";
        if (t.parallelAiSearch() != null) return "parallelAiSearch";
        if (t.exaAiSearch() != null) return "exaAiSearch";
        return null;
    }
}
