import{b as e,c as t,h as n,i as r,t as i,v as a}from"./Page-Cq2q75w7.js";import{a as o,c as s,d as c,m as l,n as u,o as d,t as f}from"./status-rOUAfUnb.js";import{u as p}from"./index-B3uw6kat.js";import{t as m}from"./useTokenFromPath-9wiTrDRI.js";var h=e(a(),1),g=t(),_=c(`
  mutation SignInWithLink($token: String!) {
    signInWithLink(token: $token) {
      expiresAt
      viewer {
        signedIn
      }
    }
  }
`);function v(){let{token:e,forget:t}=m(`signInLink`),[{error:a},c]=l(_),{sessionChanged:v}=p(),y=n(),b=(0,h.useRef)(null),[x,S]=(0,h.useState)(0);return(0,h.useEffect)(()=>{if(e===null)return;let n=`${e}#${x}`;b.current!==n&&(b.current=n,c({token:e}).then(e=>{e.error===void 0?(t(),v(),y(r.space(),{replace:!0})):d(e.error)&&t()}))},[e,x,c,t,v,y]),e===null||a!==void 0&&d(a)?(0,g.jsxs)(i,{title:`Lien de connexion non valable`,children:[a===void 0?(0,g.jsx)(`p`,{children:`Ce lien de connexion est incomplet.`}):(0,g.jsx)(f,{error:a,title:`Ce lien ne permet pas de vous connecter`}),(0,g.jsx)(`p`,{children:`Un lien de connexion est valable 30 minutes et ne sert qu'une fois. Demandez-en un nouveau : c'est immédiat.`}),(0,g.jsx)(s,{linkProps:{to:r.signIn()},children:`Recevoir un nouveau lien`})]}):a===void 0?(0,g.jsx)(i,{title:`Connexion en cours`,children:(0,g.jsx)(u,{label:`Connexion en cours, un instant…`})}):(0,g.jsxs)(i,{title:`Connexion impossible pour le moment`,children:[(0,g.jsx)(f,{error:a,title:`La connexion n'a pas abouti`}),o(a)?(0,g.jsx)(s,{onClick:()=>S(e=>e+1),children:`Réessayer`}):(0,g.jsx)(s,{linkProps:{to:r.signIn()},children:`Recevoir un nouveau lien`})]})}export{v as default};