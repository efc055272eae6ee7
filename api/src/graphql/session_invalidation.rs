//! Ends the cached sign-ins of this process after every mutation (see
//! [`crate::session_cache`]): a sign-out, a revoked session, a deactivated account or changed
//! roles hold from the next request on, whatever the mutation was.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest,
};
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response, ServerResult};

use crate::state::AppState;

pub struct EndCachedSessionsOnMutation;

impl ExtensionFactory for EndCachedSessionsOnMutation {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Watch::default())
    }
}

/// One request's: whether its document holds a mutation.
#[derive(Default)]
struct Watch {
    mutation: AtomicBool,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Watch {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let Ok(document) = request.parsed_query() {
            let mutation = document
                .operations
                .iter()
                .any(|(_, operation)| operation.node.ty == OperationType::Mutation);
            self.mutation.store(mutation, Ordering::SeqCst);
        }
        next.run(ctx, request).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        if self.mutation.load(Ordering::SeqCst)
            && let Ok(state) = ctx.data::<AppState>()
        {
            state.sessions.invalidate();
        }
        response
    }
}
