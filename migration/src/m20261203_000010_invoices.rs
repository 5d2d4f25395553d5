//! Invoices, credit notes and payments (ARCHITECTURE.md, "Invoices").
//!
//! An invoice is made from one order. What each order line has on invoices (drafts and
//! issued, less what credit notes took back) is `order_lines.invoiced`, moved by one
//! conditional UPDATE as deliveries move `scheduled`: two invoices made at once never
//! together pass what the line may invoice. An invoice's `paid`, `credited` and `balance`
//! are cached totals of its payments and credit notes, changed in the same transaction as
//! them; a CHECK keeps `balance = total - paid - credited`.
//!
//! An issued invoice keeps what it was issued as (`document`, JSON) and its frozen PDF with
//! its SHA-256; so does each credit note. `outbox_mails` can carry one attachment and name
//! the invoice it was sent for.
//!
//! Indexes: the list by status (and due date), client, order, issue and due date; the open
//! invoices alone (partial indexes: the list's open and overdue, outstanding sums, aging);
//! aging by the date an invoice was settled; payments and credit notes by invoice and date.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Invoices {
    Table,
    Id,
    Number,
    Seq,
    OrderId,
    ClientId,
    Status,
    IssueDate,
    DueDate,
    Notes,
    Net,
    Tax,
    Total,
    Paid,
    Credited,
    Balance,
    SettledOn,
    Document,
    Pdf,
    PdfSha256,
    CreatedBy,
    IssuedBy,
    CreatedAt,
    UpdatedAt,
    IssuedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum InvoiceLines {
    Table,
    Id,
    InvoiceId,
    OrderLineId,
    Position,
    ProductId,
    Description,
    Unit,
    Quantity,
    UnitPrice,
    Discount,
    TaxRateBp,
    Net,
    Tax,
    Credited,
}

#[derive(DeriveIden, Clone, Copy)]
enum CreditNotes {
    Table,
    Id,
    Number,
    Seq,
    InvoiceId,
    ClientId,
    IssueDate,
    Reason,
    Net,
    Tax,
    Total,
    Document,
    Pdf,
    PdfSha256,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum CreditNoteLines {
    Table,
    Id,
    CreditNoteId,
    InvoiceLineId,
    Quantity,
    Discount,
    Net,
    Tax,
}

#[derive(DeriveIden, Clone, Copy)]
enum Payments {
    Table,
    Id,
    InvoiceId,
    ClientId,
    Amount,
    PaidOn,
    Method,
    Reference,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    Invoiced,
}

#[derive(DeriveIden)]
enum OutboxMails {
    Table,
    AttachmentName,
    Attachment,
    InvoiceId,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn id<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

/// A required whole number: an id, a quantity, an amount in cents.
fn big<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn text<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).text().not_null().to_owned()
}

fn when<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).timestamp_with_time_zone().to_owned()
}

/// A foreign key that refuses deleting what it points at.
fn key<F, C, T, K>(from: (F, C), to: (T, K)) -> ForeignKeyCreateStatement
where
    F: IntoIden + 'static,
    C: IntoIden + 'static,
    T: IntoIden + 'static,
    K: IntoIden + 'static,
{
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// A plain (or unique) index on `table`.
async fn index<T: IntoIden + Copy + 'static>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[T],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Invoices as I;
        m.create_table(
            Table::create()
                .table(I::Table)
                .col(id(I::Id))
                // A draft has no number; issuing gives it one.
                .col(ColumnDef::new(I::Number).string_len(32).null())
                .col(ColumnDef::new(I::Seq).big_integer().null())
                .col(big(I::OrderId))
                .col(big(I::ClientId))
                .col(ColumnDef::new(I::Status).string_len(24).not_null().check(
                    Expr::col(I::Status).is_in([
                        "draft",
                        "issued",
                        "partially_paid",
                        "paid",
                        "credited",
                    ]),
                ))
                .col(ColumnDef::new(I::IssueDate).date().null())
                .col(ColumnDef::new(I::DueDate).date().null())
                .col(text(I::Notes))
                .col(big(I::Net))
                .col(big(I::Tax))
                .col(big(I::Total))
                .col(big(I::Paid).default(0))
                .col(big(I::Credited).default(0))
                .col(big(I::Balance))
                // The date the balance reached zero (the last payment's or credit note's),
                // while paid or credited: aging as of an earlier date still counts it.
                .col(ColumnDef::new(I::SettledOn).date().null())
                .col(ColumnDef::new(I::Document).text().null())
                .col(ColumnDef::new(I::Pdf).blob().null())
                .col(ColumnDef::new(I::PdfSha256).string_len(64).null())
                .col(big(I::CreatedBy))
                .col(ColumnDef::new(I::IssuedBy).big_integer().null())
                .col(when(I::CreatedAt).not_null())
                .col(when(I::UpdatedAt).not_null())
                .col(when(I::IssuedAt).null())
                .check(
                    Expr::col(I::Balance).eq(Expr::col(I::Total)
                        .sub(Expr::col(I::Paid))
                        .sub(Expr::col(I::Credited))),
                )
                .check(Expr::col(I::Paid).gte(0))
                .check(Expr::col(I::Credited).gte(0))
                .foreign_key(&mut key(
                    (I::Table, I::OrderId),
                    (Orders::Table, Orders::Id),
                ))
                .foreign_key(&mut key(
                    (I::Table, I::ClientId),
                    (Clients::Table, Clients::Id),
                ))
                .foreign_key(&mut key(
                    (I::Table, I::CreatedBy),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut key((I::Table, I::IssuedBy), (Users::Table, Users::Id)))
                .to_owned(),
        )
        .await?;
        index(m, "idx_invoices_number", I::Table, &[I::Number], true).await?;
        index(m, "idx_invoices_seq", I::Table, &[I::Seq], false).await?;
        let by_status = [I::Status, I::Id];
        index(m, "idx_invoices_status", I::Table, &by_status, false).await?;
        let by_client = [I::ClientId, I::Id];
        index(m, "idx_invoices_client", I::Table, &by_client, false).await?;
        index(m, "idx_invoices_order", I::Table, &[I::OrderId], false).await?;
        index(m, "idx_invoices_settled", I::Table, &[I::SettledOn], false).await?;
        let issued = [I::IssueDate, I::Id];
        index(m, "idx_invoices_issue_date", I::Table, &issued, false).await?;
        let due = [I::DueDate, I::Id];
        index(m, "idx_invoices_due_date", I::Table, &due, false).await?;

        use InvoiceLines as L;
        m.create_table(
            Table::create()
                .table(L::Table)
                .col(id(L::Id))
                .col(big(L::InvoiceId))
                .col(big(L::OrderLineId))
                .col(ColumnDef::new(L::Position).integer().not_null())
                .col(big(L::ProductId))
                .col(text(L::Description))
                .col(text(L::Unit))
                .col(big(L::Quantity).check(Expr::col(L::Quantity).gt(0)))
                .col(big(L::UnitPrice))
                .col(big(L::Discount))
                .col(ColumnDef::new(L::TaxRateBp).integer().not_null())
                .col(big(L::Net))
                .col(big(L::Tax))
                // Taken back by credit notes; never more than the line's quantity.
                .col(big(L::Credited).default(0))
                .check(Expr::col(L::Credited).between(0, Expr::col(L::Quantity)))
                .foreign_key(
                    &mut key((L::Table, L::InvoiceId), (I::Table, I::Id))
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                )
                .foreign_key(&mut key(
                    (L::Table, L::OrderLineId),
                    (OrderLines::Table, OrderLines::Id),
                ))
                .foreign_key(&mut key(
                    (L::Table, L::ProductId),
                    (Products::Table, Products::Id),
                ))
                .to_owned(),
        )
        .await?;
        let of_invoice = [L::InvoiceId, L::Position];
        index(m, "idx_invoice_lines_invoice", L::Table, &of_invoice, false).await?;
        let of_line = [L::OrderLineId];
        index(m, "idx_invoice_lines_order_line", L::Table, &of_line, false).await?;

        use CreditNotes as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(id(C::Id))
                .col(ColumnDef::new(C::Number).string_len(32).not_null())
                .col(big(C::Seq))
                .col(big(C::InvoiceId))
                .col(big(C::ClientId))
                .col(ColumnDef::new(C::IssueDate).date().not_null())
                .col(text(C::Reason))
                .col(big(C::Net))
                .col(big(C::Tax))
                .col(big(C::Total))
                .col(text(C::Document))
                .col(ColumnDef::new(C::Pdf).blob().null())
                .col(ColumnDef::new(C::PdfSha256).string_len(64).null())
                .col(big(C::CreatedBy))
                .col(when(C::CreatedAt).not_null())
                .foreign_key(&mut key((C::Table, C::InvoiceId), (I::Table, I::Id)))
                .foreign_key(&mut key(
                    (C::Table, C::ClientId),
                    (Clients::Table, Clients::Id),
                ))
                .foreign_key(&mut key(
                    (C::Table, C::CreatedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "idx_credit_notes_number", C::Table, &[C::Number], true).await?;
        let of_invoice = [C::InvoiceId, C::IssueDate];
        index(m, "idx_credit_notes_invoice", C::Table, &of_invoice, false).await?;
        let by_client = [C::ClientId, C::IssueDate];
        index(m, "idx_credit_notes_client", C::Table, &by_client, false).await?;
        index(m, "idx_credit_notes_date", C::Table, &[C::IssueDate], false).await?;

        use CreditNoteLines as CL;
        m.create_table(
            Table::create()
                .table(CL::Table)
                .col(id(CL::Id))
                .col(big(CL::CreditNoteId))
                .col(big(CL::InvoiceLineId))
                .col(big(CL::Quantity).check(Expr::col(CL::Quantity).gt(0)))
                .col(big(CL::Discount))
                .col(big(CL::Net))
                .col(big(CL::Tax))
                .foreign_key(
                    &mut key((CL::Table, CL::CreditNoteId), (C::Table, C::Id))
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                )
                .foreign_key(&mut key((CL::Table, CL::InvoiceLineId), (L::Table, L::Id)))
                .to_owned(),
        )
        .await?;
        let of_note = [CL::CreditNoteId];
        index(m, "idx_credit_note_lines_note", CL::Table, &of_note, false).await?;

        use Payments as P;
        m.create_table(
            Table::create()
                .table(P::Table)
                .col(id(P::Id))
                .col(big(P::InvoiceId))
                .col(big(P::ClientId))
                .col(big(P::Amount).check(Expr::col(P::Amount).gt(0)))
                .col(ColumnDef::new(P::PaidOn).date().not_null())
                .col(ColumnDef::new(P::Method).string_len(16).not_null().check(
                    Expr::col(P::Method).is_in([
                        "bank_transfer",
                        "card",
                        "cash",
                        "cheque",
                        "other",
                    ]),
                ))
                .col(text(P::Reference))
                .col(big(P::CreatedBy))
                .col(when(P::CreatedAt).not_null())
                .foreign_key(&mut key((P::Table, P::InvoiceId), (I::Table, I::Id)))
                .foreign_key(&mut key(
                    (P::Table, P::ClientId),
                    (Clients::Table, Clients::Id),
                ))
                .foreign_key(&mut key(
                    (P::Table, P::CreatedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        let of_invoice = [P::InvoiceId, P::PaidOn];
        index(m, "idx_payments_invoice", P::Table, &of_invoice, false).await?;
        let by_date = [P::PaidOn, P::Id];
        index(m, "idx_payments_date", P::Table, &by_date, false).await?;

        m.alter_table(
            Table::alter()
                .table(OrderLines::Table)
                .add_column(big(OrderLines::Invoiced).default(0))
                .to_owned(),
        )
        .await?;
        // One column per statement (SQLite); the foreign key by raw SQL, as SQLite needs.
        for column in [
            ColumnDef::new(OutboxMails::AttachmentName)
                .text()
                .null()
                .to_owned(),
            ColumnDef::new(OutboxMails::Attachment)
                .blob()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(OutboxMails::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        let db = m.get_connection();
        db.execute_unprepared(
            "ALTER TABLE outbox_mails ADD COLUMN invoice_id BIGINT NULL REFERENCES invoices (id)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX idx_outbox_mails_invoice ON outbox_mails (invoice_id)")
            .await?;
        // The open invoices (something due) are a small part of all, and what the list's
        // "open" and "overdue", its outstanding sum and aging read: partial indexes hold only
        // them, newest first for the list, and by due date with what the sums need beside it
        // (read from the index alone). Queries name the same literal condition, which both
        // databases need in order to use a partial index.
        for sql in [
            "CREATE INDEX idx_invoices_open ON invoices (id, due_date) \
             WHERE status IN ('issued', 'partially_paid')",
            "CREATE INDEX idx_invoices_open_due ON invoices \
             (due_date, client_id, balance, issue_date, status, id) \
             WHERE status IN ('issued', 'partially_paid')",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for index in [
            "idx_outbox_mails_invoice",
            "idx_invoices_open",
            "idx_invoices_open_due",
        ] {
            db.execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        for column in [
            OutboxMails::InvoiceId,
            OutboxMails::Attachment,
            OutboxMails::AttachmentName,
        ] {
            m.alter_table(
                Table::alter()
                    .table(OutboxMails::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(OrderLines::Table)
                .drop_column(OrderLines::Invoiced)
                .to_owned(),
        )
        .await?;
        for table in [
            Payments::Table.into_iden(),
            CreditNoteLines::Table.into_iden(),
            CreditNotes::Table.into_iden(),
            InvoiceLines::Table.into_iden(),
            Invoices::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
