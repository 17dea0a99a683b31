package dev.troupe.tools.spec;

/** Where an HTTP request carries a parameter's value. */
public enum ParamLocation {
    PATH, QUERY, HEADER, BODY;

    /** Parses OpenAPI's {@code in} values; {@code formData} (Swagger 2) travels in the body. */
    public static ParamLocation fromOpenApi(String in) {
        return switch (in == null ? "" : in.toLowerCase(java.util.Locale.ROOT)) {
            case "path" -> PATH;
            case "header" -> HEADER;
            case "body", "formdata" -> BODY;
            default -> QUERY;
        };
    }
}
