# Builds either service's image: docker build --build-arg SERVICE=ingest-worker .
# Used by localstack/docker-compose.yml and by deploy/ (cdk deploy builds it once per service); the same
# image runs in AWS (credentials from the default provider chain, settings from the environment).
FROM maven:3.9-eclipse-temurin-25 AS build
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

FROM eclipse-temurin:25-jre
ARG SERVICE
RUN useradd --system --uid 10001 app
# The JVM settings of scripts/lib.sh (service_jvm_flags), with the heap a quarter of the container's
# memory limit (128 MB in localstack/docker-compose.yml, as on the host). `java` reads
# JDK_JAVA_OPTIONS, so the training run below and the service share them: an AOT cache only loads
# with the collector and header settings it was trained with.
ENV JDK_JAVA_OPTIONS="-XX:+UseSerialGC -XX:+UseCompactObjectHeaders -Xss512k -Xms16m -XX:MaxRAMPercentage=25 -XX:TrimNativeHeapInterval=10000" \
    MALLOC_ARENA_MAX=2
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*-exec.jar /tmp/app.jar
# Extracted layout plus an AOT cache (JEP 483/515) trained by starting the context once and exiting after
# the refresh: start-up to readiness ~3.5 s instead of ~9 s. Training touches no database or AWS service.
RUN java -Djarmode=tools -jar /tmp/app.jar extract --destination /app && rm /tmp/app.jar \
 && AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=training AWS_SECRET_ACCESS_KEY=training \
    java -XX:AOTCacheOutput=/app/app.aot -Dspring.context.exit=onRefresh -jar /app/app.jar \
      --spring.liquibase.enabled=false --spring.datasource.url=jdbc:postgresql://127.0.0.1:9/none \
      --assets.ingest.queue=training --assets.upload.bucket=training >/tmp/aot-training.log 2>&1 \
 && rm /tmp/aot-training.log
USER app
ENTRYPOINT ["java", "-XX:AOTCache=/app/app.aot", "-jar", "/app/app.jar"]
