-- Response templates agents send from a ticket (seeded with the playbook's three, in our own
-- words) and the feature-request backlog: ideas, grouped by normalised wording, and who asked.
CREATE TABLE response_templates (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    tone TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

INSERT INTO response_templates (id, title, category, tone, body, updated_by, updated_at) VALUES
('billing_001', 'Cobrança: situação do plano', 'billing', 'professional_helpful',
'Oi, {customer_name}! Tudo bem?

Vamos esclarecer sua cobrança. Esta é a situação da sua conta:
• Plano: {customer_plan}
• Próxima cobrança: {next_billing_date}
• Valor: R$ {amount}

{specific_billing_explanation}

Se quiser, já posso te ajudar a trocar de plano, conversar com calma sobre um cancelamento ou resolver alguma questão técnica. É só me dizer.

Um abraço,
{agent_name}', 'atende', '2026-01-01T00:00:00+00:00'),
('feature_001', 'Sugestão registrada', 'feature_request', 'enthusiastic_appreciative',
'Oi, {customer_name}! Que ideia boa, obrigado por compartilhar.

Anotamos sua sugestão: "{feature_request_summary}"

O que acontece agora:
1. ✅ Sua ideia entrou no nosso backlog de melhorias
2. 📊 O time de produto avalia junto com os pedidos de outros clientes
3. 🔔 Quando ela sair do papel, a gente te avisa por aqui

Enquanto isso, posso te mostrar algum recurso que já existe e talvez resolva o seu caso. Quer ver?

Obrigado por ajudar a melhorar o produto!
{agent_name}', 'atende', '2026-01-01T00:00:00+00:00'),
('technical_001', 'Problema técnico resolvido', 'technical', 'solution_focused',
'Oi, {customer_name}! Boa notícia: o problema foi resolvido. ✅

O que aconteceu: {issue_explanation}
O que fizemos: {solution_implemented}
Situação agora: tudo funcionando normalmente.

Para não acontecer de novo:
{prevention_tips}

Pode testar e me contar se ficou tudo certo? Qualquer dúvida, estou por aqui.

{agent_name}', 'atende', '2026-01-01T00:00:00+00:00');

CREATE TABLE ideas (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL,
    merged_into INTEGER REFERENCES ideas (id),
    delivered_at TEXT,
    delivered_by TEXT
);
CREATE INDEX ideas_by_key ON ideas (key);

CREATE TABLE idea_requests (
    id INTEGER PRIMARY KEY,
    idea_id INTEGER NOT NULL REFERENCES ideas (id),
    ticket_id INTEGER REFERENCES tickets (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    plan TEXT,
    summary TEXT NOT NULL,
    source TEXT NOT NULL,
    at TEXT NOT NULL,
    notified_at TEXT,
    UNIQUE (idea_id, customer_id)
);
CREATE INDEX idea_requests_by_ticket ON idea_requests (ticket_id);
