# Image for docker-compose.yml: the backend plus the built web app.
FROM node:20-slim AS web
WORKDIR /src/frontend
COPY frontend/ ./
RUN if [ -f package.json ]; then npm ci && npm run build; else mkdir -p dist; fi

FROM python:3.11-slim
WORKDIR /app
COPY backend/ ./backend/
RUN pip install --no-cache-dir -e ./backend
COPY --from=web /src/frontend/dist ./frontend/dist
ENV MANCREL_FRONTEND_DIST=/app/frontend/dist
USER nobody
EXPOSE 8000
CMD ["mancrel", "serve", "--host", "0.0.0.0"]
