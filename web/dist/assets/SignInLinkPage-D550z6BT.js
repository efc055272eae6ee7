import{d as e,g as t,i as n,m as r,t as i}from"./Page-BgF3PtBl.js";import{a,c as o,d as s,m as c,n as l,o as u,t as d}from"./status-yXdGw_vR.js";import{l as f,p}from"./index-D-Gv0dya.js";import{t as m}from"./useTokenFromPath-M-iirGxg.js";var h=t(r(),1),g=n(),_=s(`
  mutation SignInWithLink($token: String!) {
    signInWithLink(token: $token) {
      expiresAt
      viewer {
        signedIn
      }
    }
  }
`);function v(){let{token:t,forget:n}=m(`signInLink`),[{error:r},s]=c(_),{sessionChanged:v}=p(),y=e(),b=(0,h.useRef)(null),[x,S]=(0,h.useState)(0);return(0,h.useEffect)(()=>{if(t===null)return;let e=`${t}#${x}`;b.current!==e&&(b.current=e,s({token:t}).then(e=>{e.error===void 0?(n(),v(),y(f.space(),{replace:!0})):u(e.error)&&n()}))},[t,x,s,n,v,y]),t===null||r!==void 0&&u(r)?(0,g.jsxs)(i,{title:`Lien de connexion non valable`,children:[r===void 0?(0,g.jsx)(`p`,{children:`Ce lien de connexion est incomplet.`}):(0,g.jsx)(d,{error:r,title:`Ce lien ne permet pas de vous connecter`}),(0,g.jsx)(`p`,{children:`Un lien de connexion est valable 30 minutes et ne sert qu'une fois. Demandez-en un nouveau : c'est immédiat.`}),(0,g.jsx)(o,{linkProps:{to:f.signIn()},children:`Recevoir un nouveau lien`})]}):r===void 0?(0,g.jsx)(i,{title:`Connexion en cours`,children:(0,g.jsx)(l,{label:`Connexion en cours, un instant…`})}):(0,g.jsxs)(i,{title:`Connexion impossible pour le moment`,children:[(0,g.jsx)(d,{error:r,title:`La connexion n'a pas abouti`}),a(r)?(0,g.jsx)(o,{onClick:()=>S(e=>e+1),children:`Réessayer`}):(0,g.jsx)(o,{linkProps:{to:f.signIn()},children:`Recevoir un nouveau lien`})]})}export{v as default};