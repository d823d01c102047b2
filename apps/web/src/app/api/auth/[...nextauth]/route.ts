import { authHandlers } from "@/server/auth";

export const { GET, POST } = authHandlers;
