// n8n-core logs every node error through its own logger; the assertions already cover them.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
