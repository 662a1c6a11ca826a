package dev.livegateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys the application really reads: every property of every
 * {@code @ConfigMapping} interface compiled into target/classes, and every Quarkus property known
 * to the extensions on the class path (their config-doc models), in environment-variable form.
 */
final class ConfigKeys {

    private final List<Pattern> gatewayEnv = new ArrayList<>();
    private final Set<String> quarkusEnv = new HashSet<>();
    private final Set<String> gatewayProperties = new HashSet<>();

    ConfigKeys(Path classes) throws IOException {
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replace(".class", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, ConfigKeys.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    collect(mapping.prefix(), type);
                }
            }
        }
        for (String property : gatewayProperties) {
            gatewayEnv.add(Pattern.compile(toEnv(property).replace("*", "[A-Z0-9_]+")));
        }
        Enumeration<URL> models = ConfigKeys.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        ObjectMapper json = new ObjectMapper();
        while (models.hasMoreElements()) {
            try (InputStream in = models.nextElement().openStream()) {
                json.readTree(in).findValues("environmentVariable").stream().map(JsonNode::asText)
                        .forEach(quarkusEnv::add);
            }
        }
    }

    Set<String> gatewayProperties() {
        return gatewayProperties;
    }

    /** Whether the application reads the property behind this environment variable. */
    boolean readsEnv(String env) {
        if (env.startsWith("QUARKUS_")) {
            return quarkusEnv.contains(env);
        }
        return gatewayEnv.stream().anyMatch(p -> p.matcher(env).matches());
    }

    static String toEnv(String property) {
        StringBuilder out = new StringBuilder();
        for (char c : property.toCharArray()) {
            out.append(c == '*' ? '*' : Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return out.toString();
    }

    private void collect(String prefix, Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers()) || method.isDefault()
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            String segment = method.isAnnotationPresent(WithName.class) ? method.getAnnotation(WithName.class).value()
                    : kebab(method.getName());
            String key = method.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + segment;
            property(key, method.getGenericReturnType());
        }
    }

    private void property(String key, Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == java.util.Optional.class || raw == List.class || raw == Set.class) {
                property(key, args[0]);
                return;
            }
            if (raw == java.util.Map.class) {
                property(key + ".*", args[1]);
                return;
            }
        }
        if (type instanceof Class<?> c && c.isInterface() && !c.getName().startsWith("java.")) {
            collect(key, c);
            return;
        }
        gatewayProperties.add(key);
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
