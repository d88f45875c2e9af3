# Herald: a small runtime image with the release binary.
#   docker build -t herald .
#   docker run -p 3978:3978 -v herald-data:/app/data herald
# The container listens on 0.0.0.0, so Herald needs a Bot Framework app id
# (MicrosoftAppId, MicrosoftAppPassword) or, for development only,
# HERALD__SERVER__INSECURE=true. DATABASE_URL=postgres://…
# switches from the SQLite file in /app/data to PostgreSQL.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
# The C build settings (mimalloc's commit default, see .cargo/config.toml).
COPY .cargo ./.cargo
COPY src ./src
COPY migrations ./migrations
COPY config ./config
COPY benches ./benches
RUN cargo build --release --locked --bin herald

FROM debian:bookworm-slim
# The CA bundle should follow Debian's security updates, not a pinned version.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin herald
WORKDIR /app
COPY --from=build /src/target/release/herald /usr/local/bin/herald
COPY config ./config
RUN mkdir -p /app/data && chown herald /app/data
USER 10001
ENV HERALD__SERVER__BIND=0.0.0.0 \
    PORT=3978
EXPOSE 3978
VOLUME ["/app/data"]
ENTRYPOINT ["herald"]
CMD ["serve"]
