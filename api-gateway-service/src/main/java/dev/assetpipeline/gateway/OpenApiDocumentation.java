package dev.assetpipeline.gateway;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.assetpipeline.gateway.assets.ReadProperties;
import dev.assetpipeline.gateway.upload.UploadProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * Makes the served OpenAPI document say everything the API does, so clients (and the fuzzer in CI)
 * can rely on it: both ways to authenticate, every problem+json error each operation can answer,
 * 201 and 302 where they apply, and the request limits that come from configuration. It knows every
 * feature, so it lives beside the application class rather than in any one of them.
 */
@Configuration
class OpenApiDocumentation {

    private static final String PROBLEM = "Problem";


    @Bean
    OpenAPI assetPipelineApi() {
        return new OpenAPI()
                .info(new Info().title("Asset pipeline API").version("v1").description(
                        "Presigned S3 upload and download URLs, and the metadata PostgreSQL keeps of every object."))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("basic").description("client-id:secret"))
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                                .scheme("bearer").description("the secret of an API key")));
    }

    @Bean
    OpenApiCustomizer describeErrorsAndLimits(UploadProperties upload, ReadProperties read) {
        int maxPageSize = read.maxPageSize();
        return openApi -> {
            // added here, after springdoc has collected the schemas it found, so it cannot drop them
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            openApi.getPaths().forEach((path, item) -> {
                if (path.startsWith("/api/")) {
                    document(path, item, maxPageSize);
                }
            });
            Schema<?> request = openApi.getComponents().getSchemas().get("UploadRequest");
            if (request != null) {
                constrain(request, upload);
            }
        };
    }

    private static void document(String path, PathItem item, int maxPageSize) {
        for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
            Operation operation = entry.getValue();
            operation.setSecurity(List.of(new SecurityRequirement().addList("basic"),
                    new SecurityRequirement().addList("bearer")));
            ApiResponses responses = operation.getResponses();
            problem(responses, "400", "The request is malformed or breaks a limit; errors names each field");
            problem(responses, "401", "No API key, or not a live one");
            problem(responses, "500", "Unexpected; logged, and nothing in the body");
            boolean webhooks = path.startsWith("/api/v1/webhooks");
            if (path.contains("{id}")) {
                problem(responses, "404", webhooks ? "No webhook with this id that the caller owns"
                        : "No asset with this id that the caller may see");
            }
            if (entry.getKey() == PathItem.HttpMethod.POST && path.equals("/api/v1/webhooks")) {
                ApiResponse ok = responses.remove("200");
                responses.addApiResponse("201", ok.description("Registered; the secret is shown this once")
                        .addHeaderObject("Location", new Header().schema(new StringSchema())));
                problem(responses, "409", "The client holds as many webhooks as it may");
                problem(responses, "413", "The body is over 16384 bytes");
                problem(responses, "415", "The body is not application/json");
            }
            if (entry.getKey() == PathItem.HttpMethod.POST && path.equals("/api/v1/assets")) {
                ApiResponse ok = responses.remove("200");
                responses.addApiResponse("201", ok.description("Recorded as PENDING; upload the bytes as told")
                        .addHeaderObject("Location", new Header().schema(new StringSchema())));
                problem(responses, "409", "The client's quota of bytes or objects would be exceeded");
                problem(responses, "413", "The body is over 16384 bytes");
                problem(responses, "415", "The body is not application/json");
                problem(responses, "429", "Too many URLs requested; see Retry-After");
                responses.get("429").addHeaderObject("Retry-After", new Header().schema(new IntegerSchema()));
            }
            if (path.endsWith("/download-url") || path.endsWith("/content")) {
                problem(responses, "409", "The asset is not AVAILABLE; assetStatus says what it is");
                problem(responses, "429", "Too many URLs requested; see Retry-After");
                responses.get("429").addHeaderObject("Retry-After", new Header().schema(new IntegerSchema()));
            }
            if (entry.getKey() == PathItem.HttpMethod.DELETE && webhooks) {
                responses.remove("200");
                responses.addApiResponse("204", new ApiResponse().description("Deleted"));
            } else if (entry.getKey() == PathItem.HttpMethod.DELETE) {
                responses.remove("200");
                responses.addApiResponse("202", new ApiResponse().description(
                        "The object is being removed; the asset turns DELETED when S3's event is ingested"));
                responses.addApiResponse("204", new ApiResponse().description(
                        "Cancelled (it was PENDING), or already DELETED, EXPIRED or REJECTED"));
            }
            if (path.endsWith("/parts") || path.endsWith("/part-urls") || path.endsWith("/complete")) {
                problem(responses, "409", "Not a PENDING upload in parts, or (complete) its parts do not make "
                        + "the declared size");
            }
            if (path.endsWith("/part-urls")) {
                problem(responses, "413", "The body is over 16384 bytes");
                problem(responses, "415", "The body is not application/json");
                problem(responses, "429", "Too many URLs requested; see Retry-After");
                responses.get("429").addHeaderObject("Retry-After", new Header().schema(new IntegerSchema()));
            }
            if (path.endsWith("/complete")) {
                responses.remove("200");
                responses.addApiResponse("202", new ApiResponse().description(
                        "Completed in S3; the asset turns AVAILABLE when S3's event is ingested"));
            }
            if (path.endsWith("/content")) {
                responses.remove("200");
                responses.addApiResponse("302", new ApiResponse().description("Redirect to a presigned GET")
                        .addHeaderObject("Location", new Header().schema(new StringSchema())));
            }
            if (operation.getParameters() != null) {
                for (Parameter parameter : operation.getParameters()) {
                    if ("id".equals(parameter.getName())) {
                        parameter.getSchema().setPattern(
                                "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
                    }
                    if ("limit".equals(parameter.getName())) {
                        parameter.getSchema().setMinimum(BigDecimal.ONE);
                        parameter.getSchema().setMaximum(BigDecimal.valueOf(maxPageSize));
                    }
                }
            }
        }
    }

    private static ApiResponse problem(ApiResponses responses, String status, String description) {
        ApiResponse response = new ApiResponse().description(description).content(new Content().addMediaType(
                "application/problem+json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
        responses.addApiResponse(status, response);
        return response;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void constrain(Schema<?> request, UploadProperties upload) {
        Map<String, Schema> properties = request.getProperties();
        request.setAdditionalProperties(false);
        // the fixed rules come from UploadRequest's constraints; only what configuration decides is added here
        properties.get("contentType").setEnum(upload.allowedContentTypes().stream().sorted().toList());
        // read by a custom deserializer, which springdoc cannot see through
        Schema size = properties.get("size");
        size.setType("integer");
        size.setTypes(Set.of("integer"));
        size.maximum(BigDecimal.valueOf(upload.maxSize().toBytes()));
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(new ObjectSchema()
                        .addProperty("field", new StringSchema())
                        .addProperty("message", new StringSchema())))
                .addProperty("assetStatus", new StringSchema());
    }
}
