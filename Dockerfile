# Builds either service's image: docker build --build-arg SERVICE=ingest-worker .
# Used by localstack/docker-compose.yml and by deploy/ (cdk deploy builds it once per service); the same
# image runs in AWS (credentials from the default provider chain, settings from the environment).
FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src
COPY pom.xml .
COPY common/pom.xml common/
COPY ingest-worker/pom.xml ingest-worker/
COPY api-gateway-service/pom.xml api-gateway-service/
COPY deploy/pom.xml deploy/
RUN mvn -B -q -ntp -pl ${SERVICE} -am dependency:go-offline -DexcludeArtifactIds=common,ingest-worker || true
COPY . .
# only the service and what it needs: not deploy/'s CDK libraries
RUN mvn -B -q -ntp -pl ${SERVICE} -am -DskipTests package

FROM eclipse-temurin:17-jre
ARG SERVICE
RUN useradd --system --uid 10001 app
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /app/app.jar
USER app
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
