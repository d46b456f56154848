# Builds either service's image: docker build --build-arg SERVICE=ingest-worker .
# Used by localstack/docker-compose.yml; the same image runs in AWS (credentials from the default
# provider chain, settings from the environment).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY common/pom.xml common/
COPY ingest-worker/pom.xml ingest-worker/
COPY api-gateway-service/pom.xml api-gateway-service/
RUN mvn -B -q -ntp dependency:go-offline -DexcludeArtifactIds=common,ingest-worker || true
COPY . .
RUN mvn -B -q -ntp -DskipTests package

FROM eclipse-temurin:17-jre
ARG SERVICE
RUN useradd --system --uid 10001 app
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/app.jar
USER app
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
